// Pillow's 8-bit RGB resampling (Image.resize, libImaging/Resample.c) followed by a crop, in
// plain C++: no LibTorch, no Node. The TypeScript port (src/main/core/vision/preprocessResample.ts)
// is the specification; this file follows it operation for operation, so the two give the same
// bytes (the sinc-based filters call libm's sin/cos, as Pillow does, where V8 has its own).
#pragma once

#include <cstdint>
#include <string>

namespace framelab_image {

enum class Filter { Box, Bilinear, Hamming, Bicubic, Lanczos };

// "box", "bilinear", "hamming", "bicubic", "lanczos" (torchvision's names); false if unknown.
bool parseFilter(const std::string& name, Filter* out);

struct CropSpec {
  // The image Pillow would produce: Image.resize((resizedWidth, resizedHeight), filter).
  int resizedWidth;
  int resizedHeight;
  // The crop's top-left in the resized image (negative inside torchvision's zero padding).
  int left;
  int top;
  int width;
  int height;
};

// Writes the crop (width × height × 3 bytes, row-major) of the resized `src` to `out`; pixels
// outside the resized image are 0. Only the output pixels inside the crop are computed: a
// separable resample's output pixel depends on its own coefficients only, so the crop of the
// full resize and the resize of just the crop are the same bytes. Single-threaded.
// Throws std::invalid_argument on impossible sizes.
void resizeCrop(const uint8_t* src, int srcWidth, int srcHeight, const CropSpec& crop, Filter filter, uint8_t* out);

}  // namespace framelab_image
