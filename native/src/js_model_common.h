// The methods every model class exposes the same way over its ModelCore: loadState, state,
// setOptimizer, setLearningRate, setCancelFlag. Main thread only.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <napi.h>

#include "async_task.h"
#include "model_core.h"

namespace framelab {

// Per JavaScript model object: its task slot and the cancel flag it keeps alive.
struct JsModelShared {
  std::shared_ptr<TaskSlot> slot = std::make_shared<TaskSlot>();
  Napi::Reference<Napi::Value> cancelFlag;  // the Int32Array (its SharedArrayBuffer stays alive)
};

// Runs `body` and turns any C++ or LibTorch exception into a JavaScript Error.
Napi::Value guard(Napi::Env env, const std::function<Napi::Value()>& body);

Napi::Value jsLoadState(const Napi::CallbackInfo& info, ModelCore& core, JsModelShared& shared, const std::string& cls);
Napi::Value jsState(const Napi::CallbackInfo& info, ModelCore& core, JsModelShared& shared, const std::string& cls);
Napi::Value jsSetOptimizer(const Napi::CallbackInfo& info, JsModelShared& shared, const std::string& cls,
                           const std::function<void(const OptimizerConfig&)>& setOptimizer);
Napi::Value jsSetLearningRate(const Napi::CallbackInfo& info, ModelCore& core, JsModelShared& shared, const std::string& cls);
// setCancelFlag(Int32Array over a SharedArrayBuffer | null)
Napi::Value jsSetCancelFlag(const Napi::CallbackInfo& info, ModelCore& core, JsModelShared& shared, const std::string& cls);

}  // namespace framelab
