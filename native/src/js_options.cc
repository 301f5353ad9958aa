#include "js_options.h"

#include <cmath>
#include <stdexcept>
#include <thread>

namespace framelab {

namespace {

std::invalid_argument optionError(const std::string& what, const std::string& problem) {
  return std::invalid_argument(what + ": " + problem);
}

bool absent(const Napi::Value& v) { return v.IsUndefined() || v.IsNull(); }

int64_t asInteger(const Napi::Value& v, const std::string& label) {
  if (!v.IsNumber()) throw std::invalid_argument(label + " must be an integer");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || std::floor(d) != d) throw std::invalid_argument(label + " must be an integer");
  return static_cast<int64_t>(d);
}

}  // namespace

Napi::Object objectArgument(const Napi::CallbackInfo& info, size_t index, const std::string& what) {
  if (info.Length() <= index || !info[index].IsObject()) throw std::invalid_argument(what + " must be an object");
  return info[index].As<Napi::Object>();
}

std::optional<double> optionalNumber(const Napi::Object& o, const char* key, const std::string& what) {
  const Napi::Value v = o.Get(key);
  if (absent(v)) return std::nullopt;
  if (!v.IsNumber() || !std::isfinite(v.As<Napi::Number>().DoubleValue())) throw optionError(what, std::string(key) + " must be a finite number");
  return v.As<Napi::Number>().DoubleValue();
}

std::optional<int64_t> optionalInteger(const Napi::Object& o, const char* key, const std::string& what) {
  const Napi::Value v = o.Get(key);
  if (absent(v)) return std::nullopt;
  return asInteger(v, what + ": " + key);
}

int64_t requiredInteger(const Napi::Object& o, const char* key, const std::string& what) {
  const auto v = optionalInteger(o, key, what);
  if (!v) throw optionError(what, std::string(key) + " is required");
  return *v;
}

std::optional<std::string> optionalString(const Napi::Object& o, const char* key, const std::string& what) {
  const Napi::Value v = o.Get(key);
  if (absent(v)) return std::nullopt;
  if (!v.IsString()) throw optionError(what, std::string(key) + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

std::optional<bool> optionalBool(const Napi::Object& o, const char* key, const std::string& what) {
  const Napi::Value v = o.Get(key);
  if (absent(v)) return std::nullopt;
  if (!v.IsBoolean()) throw optionError(what, std::string(key) + " must be a boolean");
  return v.As<Napi::Boolean>().Value();
}

int64_t integerArgument(const Napi::CallbackInfo& info, size_t index, const std::string& what) {
  const int64_t v = asInteger(info.Length() > index ? info[index] : info.Env().Undefined(), what);
  if (v < 1) throw std::invalid_argument(what + " must be >= 1");
  return v;
}

std::optional<std::pair<int64_t, int64_t>> optionalSize(const Napi::Value& value, const std::string& what) {
  if (absent(value)) return std::nullopt;
  if (!value.IsObject()) throw optionError(what, "size must be { height, width }");
  const auto o = value.As<Napi::Object>();
  const auto height = optionalInteger(o, "height", what);
  const auto width = optionalInteger(o, "width", what);
  if (!height && !width) return std::nullopt;
  if (!height || !width) throw optionError(what, "give both height and width, or neither (square input)");
  return std::make_pair(*height, *width);
}

int defaultThreads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

OptimizerConfig optimizerConfigFromJs(const Napi::Object& o) {
  const std::string what = "setOptimizer";
  OptimizerConfig c;
  c.kind = parseOptimizerKind(optionalString(o, "kind", what).value_or(""));
  c.lr = optionalNumber(o, "lr", what);
  const Napi::Value betas = o.Get("betas");
  if (!absent(betas)) {
    const bool ok = betas.IsArray() && betas.As<Napi::Array>().Length() == 2 && betas.As<Napi::Array>().Get(0u).IsNumber() &&
                    betas.As<Napi::Array>().Get(1u).IsNumber();
    if (!ok) throw optionError(what, "betas must be [beta1, beta2]");
    c.beta1 = betas.As<Napi::Array>().Get(0u).As<Napi::Number>().DoubleValue();
    c.beta2 = betas.As<Napi::Array>().Get(1u).As<Napi::Number>().DoubleValue();
  }
  c.eps = optionalNumber(o, "eps", what).value_or(c.eps);
  c.weightDecay = optionalNumber(o, "weightDecay", what);
  c.momentum = optionalNumber(o, "momentum", what).value_or(c.momentum);
  c.dampening = optionalNumber(o, "dampening", what).value_or(c.dampening);
  c.nesterov = optionalBool(o, "nesterov", what).value_or(c.nesterov);
  c.amsgrad = optionalBool(o, "amsgrad", what).value_or(c.amsgrad);
  return c;
}

}  // namespace framelab
