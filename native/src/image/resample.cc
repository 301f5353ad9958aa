#include "resample.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace framelab_image {

namespace {

constexpr double kPi = 3.14159265358979323846;

struct FilterDef {
  double support;
  double (*weight)(double);
};

double boxWeight(double x) { return x > -0.5 && x <= 0.5 ? 1.0 : 0.0; }

double bilinearWeight(double x) {
  const double a = std::fabs(x);
  return a < 1.0 ? 1.0 - a : 0.0;
}

double hammingWeight(double x) {
  const double a = std::fabs(x);
  if (a == 0.0) return 1.0;
  if (a >= 1.0) return 0.0;
  const double t = a * kPi;
  // Pillow writes these constants as C floats (0.54f, 0.46f).
  return std::sin(t) / t * (static_cast<double>(0.54f) + static_cast<double>(0.46f) * std::cos(t));
}

double bicubicWeight(double x) {
  const double a = -0.5;
  const double t = std::fabs(x);
  if (t < 1.0) return ((a + 2.0) * t - (a + 3.0)) * t * t + 1.0;
  if (t < 2.0) return (((t - 5.0) * t + 8.0) * t - 4.0) * a;
  return 0.0;
}

double sinc(double x) {
  if (x == 0.0) return 1.0;
  const double t = x * kPi;
  return std::sin(t) / t;
}

double lanczosWeight(double x) { return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3.0) : 0.0; }

FilterDef filterDef(Filter f) {
  switch (f) {
    case Filter::Box: return {0.5, boxWeight};
    case Filter::Bilinear: return {1.0, bilinearWeight};
    case Filter::Hamming: return {1.0, hammingWeight};
    case Filter::Bicubic: return {2.0, bicubicWeight};
    case Filter::Lanczos: return {3.0, lanczosWeight};
  }
  return {1.0, bilinearWeight};
}

// 8 bits of result, 2 bits of headroom for filters with negative lobes, in a 32-bit int.
constexpr int kPrecisionBits = 32 - 8 - 2;
constexpr double kOne = static_cast<double>(1 << kPrecisionBits);
constexpr int32_t kHalf = 1 << (kPrecisionBits - 1);

// Pillow's precompute_coeffs + normalize_coeffs_8bpc, for output pixels [outFirst, outFirst + n)
// of an inSize → outSize resize. Indices in `first` are input pixels.
struct Coefficients {
  int taps = 0;
  std::vector<int> first;
  std::vector<int> count;
  std::vector<int32_t> weights;
};

Coefficients coefficients(int inSize, int outSize, const FilterDef& filter, int outFirst, int n) {
  const double scale = static_cast<double>(inSize) / outSize;
  const double filterScale = std::max(scale, 1.0);
  const double support = filter.support * filterScale;
  Coefficients c;
  c.taps = static_cast<int>(std::ceil(support)) * 2 + 1;
  c.first.resize(n);
  c.count.resize(n);
  c.weights.assign(static_cast<size_t>(n) * c.taps, 0);
  std::vector<double> w(c.taps);
  const double inverse = 1.0 / filterScale;
  for (int i = 0; i < n; i++) {
    const int xx = outFirst + i;
    const double center = (xx + 0.5) * scale;
    const int xmin = std::max(static_cast<int>(center - support + 0.5), 0);
    const int xmax = std::min(static_cast<int>(center + support + 0.5), inSize) - xmin;
    double total = 0.0;
    for (int x = 0; x < xmax; x++) {
      w[x] = filter.weight((x + xmin - center + 0.5) * inverse);
      total += w[x];
    }
    int32_t* k = &c.weights[static_cast<size_t>(i) * c.taps];
    for (int x = 0; x < xmax; x++) {
      const double v = total != 0.0 ? w[x] / total : w[x];
      k[x] = v < 0 ? static_cast<int32_t>(-0.5 + v * kOne) : static_cast<int32_t>(0.5 + v * kOne);
    }
    c.first[i] = xmin;
    c.count[i] = std::max(xmax, 0);
  }
  return c;
}

// Pillow's clip8: the fixed-point sum → 0…255 (an arithmetic shift floors).
inline uint8_t clip8(int32_t sum) {
  if (sum <= 0) return 0;
  if (sum >= (255 << kPrecisionBits)) return 255;
  return static_cast<uint8_t>(sum >> kPrecisionBits);
}

// Rows [rowFirst, rowFirst + rows) of src, output columns [colFirst, colFirst + c.first.size()).
void horizontal(const uint8_t* src, int srcWidth, int rowFirst, int rows, const Coefficients& c, uint8_t* out) {
  const int width = static_cast<int>(c.first.size());
  const size_t inStride = static_cast<size_t>(srcWidth) * 3;
  for (int y = 0; y < rows; y++) {
    const uint8_t* row = src + static_cast<size_t>(y + rowFirst) * inStride;
    uint8_t* o = out + static_cast<size_t>(y) * width * 3;
    for (int xx = 0; xx < width; xx++) {
      const int32_t* k = &c.weights[static_cast<size_t>(xx) * c.taps];
      const uint8_t* p = row + static_cast<size_t>(c.first[xx]) * 3;
      const int n = c.count[xx];
      int32_t r = kHalf, g = kHalf, b = kHalf;
      for (int x = 0; x < n; x++, p += 3) {
        const int32_t w = k[x];
        r += p[0] * w;
        g += p[1] * w;
        b += p[2] * w;
      }
      o[0] = clip8(r);
      o[1] = clip8(g);
      o[2] = clip8(b);
      o += 3;
    }
  }
}

// `src` holds rows starting at input row `rowShift`, `stride` bytes each; every output row is
// `stride` bytes too.
void vertical(const uint8_t* src, size_t stride, int rowShift, const Coefficients& c, uint8_t* out, size_t outStride) {
  std::vector<int32_t> acc(stride);
  const int height = static_cast<int>(c.first.size());
  for (int yy = 0; yy < height; yy++) {
    std::fill(acc.begin(), acc.end(), kHalf);
    const int32_t* k = &c.weights[static_cast<size_t>(yy) * c.taps];
    const uint8_t* rows = src + static_cast<size_t>(c.first[yy] - rowShift) * stride;
    for (int y = 0; y < c.count[yy]; y++) {
      const int32_t w = k[y];
      const uint8_t* p = rows + static_cast<size_t>(y) * stride;
      int32_t* a = acc.data();
      for (size_t i = 0; i < stride; i++) a[i] += p[i] * w;
    }
    uint8_t* o = out + static_cast<size_t>(yy) * outStride;
    for (size_t i = 0; i < stride; i++) o[i] = clip8(acc[i]);
  }
}

}  // namespace

bool parseFilter(const std::string& name, Filter* out) {
  static const struct {
    const char* name;
    Filter filter;
  } kNames[] = {{"box", Filter::Box}, {"bilinear", Filter::Bilinear}, {"hamming", Filter::Hamming}, {"bicubic", Filter::Bicubic}, {"lanczos", Filter::Lanczos}};
  for (const auto& n : kNames) {
    if (name == n.name) {
      *out = n.filter;
      return true;
    }
  }
  return false;
}

void resizeCrop(const uint8_t* src, int srcWidth, int srcHeight, const CropSpec& crop, Filter filter, uint8_t* out) {
  if (srcWidth <= 0 || srcHeight <= 0 || crop.resizedWidth <= 0 || crop.resizedHeight <= 0 || crop.width <= 0 || crop.height <= 0) {
    throw std::invalid_argument("resizeCrop: every size must be positive");
  }
  const size_t outStride = static_cast<size_t>(crop.width) * 3;
  std::memset(out, 0, outStride * crop.height);
  // The part of the crop inside the resized image, in resized coordinates.
  const int x0 = std::max(0, crop.left), x1 = std::min(crop.resizedWidth, crop.left + crop.width);
  const int y0 = std::max(0, crop.top), y1 = std::min(crop.resizedHeight, crop.top + crop.height);
  if (x1 <= x0 || y1 <= y0) return;
  const int cols = x1 - x0, rows = y1 - y0;
  uint8_t* target = out + static_cast<size_t>(y0 - crop.top) * outStride + static_cast<size_t>(x0 - crop.left) * 3;
  const FilterDef def = filterDef(filter);
  const bool needHorizontal = crop.resizedWidth != srcWidth;
  const bool needVertical = crop.resizedHeight != srcHeight;

  // Input rows the vertical pass reads (or the crop's rows when there is none).
  Coefficients vert;
  int rowFirst = y0, rowCount = rows;
  if (needVertical) {
    vert = coefficients(srcHeight, crop.resizedHeight, def, y0, rows);
    rowFirst = vert.first.front();
    rowCount = vert.first.back() + vert.count.back() - rowFirst;
  }

  // Horizontal pass (Pillow's first) into a buffer of just the needed rows and the crop's columns.
  const size_t rowBytes = static_cast<size_t>(cols) * 3;
  std::vector<uint8_t> mid(rowBytes * rowCount);
  if (needHorizontal) {
    horizontal(src, srcWidth, rowFirst, rowCount, coefficients(srcWidth, crop.resizedWidth, def, x0, cols), mid.data());
  } else {
    for (int y = 0; y < rowCount; y++) {
      std::memcpy(&mid[y * rowBytes], src + (static_cast<size_t>(rowFirst + y) * srcWidth + x0) * 3, rowBytes);
    }
  }

  if (needVertical) {
    vertical(mid.data(), rowBytes, rowFirst, vert, target, outStride);
  } else {
    for (int y = 0; y < rows; y++) std::memcpy(target + y * outStride, &mid[y * rowBytes], rowBytes);
  }
}

}  // namespace framelab_image
