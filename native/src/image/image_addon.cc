// framelab_image.node: the model-input image path (Pillow-exact resize, centre crop, ImageNet
// normalisation) without LibTorch, so that any process (the UI's, an inference job's) can load
// it in a millisecond; the training addon next to it costs ~0.8 s and ~160 MB to load.
//
// exports:
//   resizeCrop(src: Uint8Array, width, height, resizedWidth, resizedHeight, left, top,
//              cropWidth, cropHeight, filter: string) → Uint8Array (cropWidth × cropHeight × 3)
//   resizeCropNormalize(src, width, height, resizedWidth, resizedHeight, left, top, crop, filter,
//              tables: Float32Array(3 × 256), out: Float32Array, offset) → undefined
//     writes the crop as CHW float32 (out[offset + c·crop² + y·crop + x] = tables[c·256 + v]).
//   filters: string[]
// All synchronous and single-threaded: ~3 ms for a 1080×1920 frame.
#include <napi.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "resample.h"

namespace {

using framelab_image::CropSpec;
using framelab_image::Filter;

int intArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (!info[i].IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a number");
  const double v = info[i].As<Napi::Number>().DoubleValue();
  if (v != static_cast<double>(static_cast<int>(v))) throw Napi::TypeError::New(info.Env(), std::string(name) + " must be an integer");
  return static_cast<int>(v);
}

struct Common {
  Napi::Uint8Array src;
  int width;
  int height;
  CropSpec crop;
  Filter filter;
};

// Arguments 0…9 (src … filter), with cropWidth/cropHeight at 7/8 or one square `crop` at 7.
Common readCommon(const Napi::CallbackInfo& info, bool square) {
  const Napi::Env env = info.Env();
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(env, "src must be a Uint8Array of RGB bytes");
  }
  Common c{info[0].As<Napi::Uint8Array>(), intArg(info, 1, "width"), intArg(info, 2, "height"), {}, Filter::Bilinear};
  c.crop.resizedWidth = intArg(info, 3, "resizedWidth");
  c.crop.resizedHeight = intArg(info, 4, "resizedHeight");
  c.crop.left = intArg(info, 5, "left");
  c.crop.top = intArg(info, 6, "top");
  c.crop.width = intArg(info, 7, square ? "crop" : "cropWidth");
  c.crop.height = square ? c.crop.width : intArg(info, 8, "cropHeight");
  const size_t filterArg = square ? 8 : 9;
  if (!info[filterArg].IsString()) throw Napi::TypeError::New(env, "filter must be a string");
  const std::string name = info[filterArg].As<Napi::String>().Utf8Value();
  if (!framelab_image::parseFilter(name, &c.filter)) throw Napi::Error::New(env, "unknown resampling filter \"" + name + "\"");
  if (c.width <= 0 || c.height <= 0 || c.crop.resizedWidth <= 0 || c.crop.resizedHeight <= 0 || c.crop.width <= 0 || c.crop.height <= 0) {
    throw Napi::RangeError::New(env, "every size must be a positive integer");
  }
  if (c.src.ElementLength() != static_cast<size_t>(c.width) * c.height * 3) {
    throw Napi::RangeError::New(env, std::to_string(c.width) + "×" + std::to_string(c.height) + " RGB needs " +
                                         std::to_string(static_cast<size_t>(c.width) * c.height * 3) + " bytes, got " +
                                         std::to_string(c.src.ElementLength()));
  }
  return c;
}

Napi::Value resizeCropImpl(const Napi::CallbackInfo& info);
Napi::Value resizeCropNormalizeImpl(const Napi::CallbackInfo& info);

// C++ failures (a bad_alloc on a huge frame) as JavaScript errors instead of an abort.
template <typename F>
Napi::Value guarded(const Napi::CallbackInfo& info, F body) {
  try {
    return body();
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Napi::Error::New(info.Env(), std::string("image resize failed: ") + e.what());
  }
}

Napi::Value ResizeCrop(const Napi::CallbackInfo& info) {
  return guarded(info, [&] { return resizeCropImpl(info); });
}

Napi::Value ResizeCropNormalize(const Napi::CallbackInfo& info) {
  return guarded(info, [&] { return resizeCropNormalizeImpl(info); });
}

Napi::Value resizeCropImpl(const Napi::CallbackInfo& info) {
  const Common c = readCommon(info, false);
  auto out = Napi::Uint8Array::New(info.Env(), static_cast<size_t>(c.crop.width) * c.crop.height * 3);
  framelab_image::resizeCrop(c.src.Data(), c.width, c.height, c.crop, c.filter, out.Data());
  return out;
}

Napi::Value resizeCropNormalizeImpl(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const Common c = readCommon(info, true);
  if (!info[9].IsTypedArray() || info[9].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array ||
      info[9].As<Napi::Float32Array>().ElementLength() != 3 * 256) {
    throw Napi::TypeError::New(env, "tables must be a Float32Array of 3 × 256 values");
  }
  if (!info[10].IsTypedArray() || info[10].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw Napi::TypeError::New(env, "out must be a Float32Array");
  }
  const float* tables = info[9].As<Napi::Float32Array>().Data();
  Napi::Float32Array out = info[10].As<Napi::Float32Array>();
  const int offset = intArg(info, 11, "offset");
  const size_t plane = static_cast<size_t>(c.crop.width) * c.crop.height;
  if (offset < 0 || static_cast<size_t>(offset) + 3 * plane > out.ElementLength()) {
    throw Napi::RangeError::New(env, "out is too short for 3 × crop × crop values at offset");
  }
  std::vector<uint8_t> rgb(plane * 3);
  framelab_image::resizeCrop(c.src.Data(), c.width, c.height, c.crop, c.filter, rgb.data());
  float* r = out.Data() + offset;
  float* g = r + plane;
  float* b = g + plane;
  const uint8_t* p = rgb.data();
  for (size_t i = 0; i < plane; i++, p += 3) {
    r[i] = tables[p[0]];
    g[i] = tables[256 + p[1]];
    b[i] = tables[512 + p[2]];
  }
  return env.Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("resizeCrop", Napi::Function::New(env, ResizeCrop, "resizeCrop"));
  exports.Set("resizeCropNormalize", Napi::Function::New(env, ResizeCropNormalize, "resizeCropNormalize"));
  auto filters = Napi::Array::New(env);
  const char* names[] = {"box", "bilinear", "hamming", "bicubic", "lanczos"};
  for (uint32_t i = 0; i < 5; i++) filters.Set(i, names[i]);
  exports.Set("filters", filters);
  return exports;
}

}  // namespace

NODE_API_MODULE(framelab_image, Init)
