#include "js_model_common.h"

#include <stdexcept>

#include "errors.h"
#include "js_convert.h"
#include "js_options.h"

namespace framelab {

Napi::Value guard(Napi::Env env, const std::function<Napi::Value()>& body) {
  try {
    return body();
  } catch (const Napi::Error&) {
    throw;
  } catch (...) {
    throw makeError(env, currentExceptionMessage());
  }
}

Napi::Value jsLoadState(const Napi::CallbackInfo& info, ModelCore& core, JsModelShared& shared, const std::string& cls) {
  return guard(info.Env(), [&] {
    shared.slot->throwIfBusy(cls + ".loadState");
    core.loadState(entriesFromJs(info[0]));
    return info.Env().Undefined();
  });
}

Napi::Value jsState(const Napi::CallbackInfo& info, ModelCore& core, JsModelShared& shared, const std::string& cls) {
  return guard(info.Env(), [&]() -> Napi::Value {
    shared.slot->throwIfBusy(cls + ".state");
    return entriesToJs(info.Env(), core.state());
  });
}

Napi::Value jsSetOptimizer(const Napi::CallbackInfo& info, JsModelShared& shared, const std::string& cls,
                           const std::function<void(const OptimizerConfig&)>& setOptimizer) {
  return guard(info.Env(), [&] {
    shared.slot->throwIfBusy(cls + ".setOptimizer");
    setOptimizer(optimizerConfigFromJs(objectArgument(info, 0, cls + ".setOptimizer options")));
    return info.Env().Undefined();
  });
}

Napi::Value jsSetLearningRate(const Napi::CallbackInfo& info, ModelCore& core, JsModelShared& shared, const std::string& cls) {
  return guard(info.Env(), [&] {
    shared.slot->throwIfBusy(cls + ".setLearningRate");
    if (info.Length() < 1 || !info[0].IsNumber()) throw std::invalid_argument(cls + ".setLearningRate: lr must be a number");
    core.setLearningRate(info[0].As<Napi::Number>().DoubleValue());
    return info.Env().Undefined();
  });
}

Napi::Value jsSetCancelFlag(const Napi::CallbackInfo& info, ModelCore& core, JsModelShared& shared, const std::string& cls) {
  return guard(info.Env(), [&] {
    // A running task reads the flag; swapping it under the task could free the memory it reads.
    shared.slot->throwIfBusy(cls + ".setCancelFlag");
    const Napi::Value value = info.Length() > 0 ? info[0] : info.Env().Undefined();
    if (value.IsUndefined() || value.IsNull()) {
      core.setCancelFlag(nullptr);
      shared.cancelFlag.Reset();
      return info.Env().Undefined();
    }
    const bool isInt32Array = value.IsTypedArray() && value.As<Napi::TypedArray>().TypedArrayType() == napi_int32_array;
    if (!isInt32Array || value.As<Napi::Int32Array>().ElementLength() < 1) {
      throw std::invalid_argument(cls + ".setCancelFlag: the flag must be an Int32Array (over a SharedArrayBuffer) of length >= 1, or null");
    }
    shared.cancelFlag = Napi::Persistent(value);
    core.setCancelFlag(value.As<Napi::Int32Array>().Data());
    return info.Env().Undefined();
  });
}

}  // namespace framelab
