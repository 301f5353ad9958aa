#include "js_convert.h"

#include <cmath>
#include <cstring>
#include <stdexcept>

namespace framelab {

namespace {

std::invalid_argument conversionError(const std::string& what, const std::string& problem) {
  return std::invalid_argument(what + " " + problem);
}

Napi::TypedArray typedArray(const Napi::Value& value, napi_typedarray_type type, const char* typeName,
                            const std::string& what) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != type) {
    throw conversionError(what, std::string("must be a ") + typeName);
  }
  return value.As<Napi::TypedArray>();
}

int64_t numel(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (const auto d : shape) n *= d;
  return n;
}

std::string shapeOf(const std::vector<int64_t>& shape) { return shapeText(torch::IntArrayRef(shape)); }

}  // namespace

size_t float32Length(const Napi::Value& value, const std::string& what) {
  return typedArray(value, napi_float32_array, "Float32Array", what).ElementLength();
}

torch::Tensor float32Tensor(const Napi::Value& value, const std::string& what, const std::vector<int64_t>& shape) {
  auto array = typedArray(value, napi_float32_array, "Float32Array", what).As<Napi::Float32Array>();
  const int64_t count = numel(shape);
  if (static_cast<int64_t>(array.ElementLength()) != count) {
    throw conversionError(what, "has " + std::to_string(array.ElementLength()) + " values; " + shapeOf(shape) + " needs " +
                        std::to_string(count));
  }
  torch::Tensor out = torch::empty(shape, torch::kFloat32);
  if (count > 0) std::memcpy(out.data_ptr<float>(), array.Data(), count * sizeof(float));
  return out;
}

torch::Tensor labelsTensor(const Napi::Value& value, const std::string& what, int64_t n, int64_t numClasses) {
  auto array = typedArray(value, napi_int32_array, "Int32Array", what).As<Napi::Int32Array>();
  if (static_cast<int64_t>(array.ElementLength()) != n) {
    throw conversionError(what, "has " + std::to_string(array.ElementLength()) + " labels for a batch of " + std::to_string(n));
  }
  torch::Tensor out = torch::empty({n}, torch::kInt64);
  int64_t* dst = out.data_ptr<int64_t>();
  for (int64_t i = 0; i < n; ++i) {
    const int32_t label = array.Data()[i];
    if (label < 0 || label >= numClasses) {
      throw std::invalid_argument(what + "[" + std::to_string(i) + "] = " + std::to_string(label) +
                                  " is not a class index in [0, " + std::to_string(numClasses) + ")");
    }
    dst[i] = label;
  }
  return out;
}

torch::Tensor classWeightsTensor(const Napi::Value& value, const std::string& what, int64_t numClasses) {
  if (value.IsUndefined() || value.IsNull()) return torch::Tensor();
  return float32Tensor(value, what, {numClasses});
}

std::vector<int64_t> batchShape(size_t length, int64_t n, int64_t channels, std::optional<std::pair<int64_t, int64_t>> size,
                                const std::string& what) {
  if (n < 1) throw conversionError(what, "needs a batch size n >= 1");
  if (size) {
    if (size->first < 1 || size->second < 1) throw conversionError(what, "size must have positive height and width");
    return {n, channels, size->first, size->second};
  }
  const int64_t perItem = static_cast<int64_t>(length) / (n * channels);
  const auto side = static_cast<int64_t>(std::llround(std::sqrt(static_cast<double>(perItem))));
  if (perItem < 1 || side * side != perItem || perItem * n * channels != static_cast<int64_t>(length)) {
    throw conversionError(what, "has " + std::to_string(length) + " values, which is not " + std::to_string(n) + "×" +
                        std::to_string(channels) + "×S×S for any S; pass { height, width } for non-square input");
  }
  return {n, channels, side, side};
}

Napi::Float32Array toFloat32Array(Napi::Env env, const torch::Tensor& hostFloat) {
  const auto count = static_cast<size_t>(hostFloat.numel());
  auto out = Napi::Float32Array::New(env, count);
  if (count > 0) std::memcpy(out.Data(), hostFloat.data_ptr<float>(), count * sizeof(float));
  return out;
}

std::vector<NamedTensor> entriesFromJs(const Napi::Value& value) {
  if (!value.IsArray()) throw std::invalid_argument("loadState: entries must be an array of { name, shape, dtype, data }");
  const auto array = value.As<Napi::Array>();
  std::vector<NamedTensor> out;
  out.reserve(array.Length());
  for (uint32_t i = 0; i < array.Length(); ++i) {
    const Napi::Value item = array.Get(i);
    if (!item.IsObject()) throw std::invalid_argument("loadState: entry " + std::to_string(i) + " is not an object");
    const auto entry = item.As<Napi::Object>();
    if (!entry.Get("name").IsString()) throw std::invalid_argument("loadState: entry " + std::to_string(i) + " has no name");
    const std::string name = entry.Get("name").As<Napi::String>();
    const std::string what = "loadState: \"" + name + "\"";

    const Napi::Value shapeValue = entry.Get("shape");
    if (!shapeValue.IsArray()) throw conversionError(what, "needs a shape array");
    std::vector<int64_t> shape;
    const auto dims = shapeValue.As<Napi::Array>();
    for (uint32_t d = 0; d < dims.Length(); ++d) {
      const Napi::Value dim = dims.Get(d);
      const double v = dim.IsNumber() ? dim.As<Napi::Number>().DoubleValue() : -1;
      if (!(v >= 0) || std::floor(v) != v) throw conversionError(what, "has a shape that is not a list of non-negative integers");
      shape.push_back(static_cast<int64_t>(v));
    }

    const Napi::Value dtype = entry.Get("dtype");
    const std::string dtypeName = dtype.IsString() ? dtype.As<Napi::String>().Utf8Value() : "";
    const bool isFloat = dtypeName == "float32";
    if (isFloat || dtypeName == "int64") {
      const auto data = isFloat ? typedArray(entry.Get("data"), napi_float32_array, "Float32Array", what + " data")
                                : typedArray(entry.Get("data"), napi_bigint64_array, "BigInt64Array", what + " data");
      if (static_cast<int64_t>(data.ElementLength()) != numel(shape)) {
        throw conversionError(what, "has " + std::to_string(data.ElementLength()) + " values for shape " + shapeOf(shape));
      }
      void* bytes = static_cast<uint8_t*>(data.ArrayBuffer().Data()) + data.ByteOffset();
      out.push_back({name, torch::from_blob(bytes, shape, isFloat ? torch::kFloat32 : torch::kInt64)});
    } else {
      throw conversionError(what, "has dtype '" + dtypeName + "'; the addon takes 'float32' or 'int64' (convert float16 first)");
    }
  }
  return out;
}

Napi::Array entriesToJs(Napi::Env env, const std::vector<NamedTensor>& entries) {
  auto out = Napi::Array::New(env, entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    auto entry = Napi::Object::New(env);
    entry.Set("name", e.name);
    auto shape = Napi::Array::New(env, e.value.dim());
    for (int64_t d = 0; d < e.value.dim(); ++d) shape.Set(static_cast<uint32_t>(d), Napi::Number::New(env, e.value.size(d)));
    entry.Set("shape", shape);
    const auto count = static_cast<size_t>(e.value.numel());
    if (e.value.scalar_type() == torch::kInt64) {
      auto data = Napi::TypedArrayOf<int64_t>::New(env, count, napi_bigint64_array);
      if (count > 0) std::memcpy(data.Data(), e.value.data_ptr<int64_t>(), count * sizeof(int64_t));
      entry.Set("dtype", "int64");
      entry.Set("data", data);
    } else {
      entry.Set("dtype", "float32");
      entry.Set("data", toFloat32Array(env, e.value.to(torch::kFloat32).contiguous()));
    }
    out.Set(static_cast<uint32_t>(i), entry);
  }
  return out;
}

}  // namespace framelab
