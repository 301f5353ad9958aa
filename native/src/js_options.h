// Reading option objects passed from JavaScript, with errors that name the option.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include <napi.h>

#include "optimizer.h"

namespace framelab {

// info[index] as an object (`what` names it in the error).
Napi::Object objectArgument(const Napi::CallbackInfo& info, size_t index, const std::string& what);

std::optional<double> optionalNumber(const Napi::Object& o, const char* key, const std::string& what);
std::optional<int64_t> optionalInteger(const Napi::Object& o, const char* key, const std::string& what);
int64_t requiredInteger(const Napi::Object& o, const char* key, const std::string& what);
std::optional<std::string> optionalString(const Napi::Object& o, const char* key, const std::string& what);
std::optional<bool> optionalBool(const Napi::Object& o, const char* key, const std::string& what);

// A positive integer argument (e.g. the batch size n).
int64_t integerArgument(const Napi::CallbackInfo& info, size_t index, const std::string& what);

// { height, width } from an optional argument or from the same-named keys of an options object.
std::optional<std::pair<int64_t, int64_t>> optionalSize(const Napi::Value& value, const std::string& what);

// The torch threads a model uses when the caller does not say: all hardware threads.
int defaultThreads();

// { threads?, seed?, device? }: how every model runs (all hardware threads, seed 0, "auto" by default).
template <typename ModelOptions>
void readRunOptions(const Napi::Object& o, const std::string& what, ModelOptions& options) {
  options.threads = static_cast<int>(optionalInteger(o, "threads", what).value_or(defaultThreads()));
  const auto seed = optionalInteger(o, "seed", what).value_or(0);
  if (seed < 0) throw std::invalid_argument(what + ": seed must be >= 0");
  options.seed = static_cast<uint64_t>(seed);
  options.device = optionalString(o, "device", what).value_or("auto");
}

// { kind, lr?, betas?, eps?, weightDecay?, momentum?, dampening?, nesterov?, amsgrad? }
OptimizerConfig optimizerConfigFromJs(const Napi::Object& o);

}  // namespace framelab
