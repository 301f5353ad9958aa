// `new GatedFusion({ modalitySizes, metaSize, width?, towerHidden?, headHidden?, dropout?, threads?, seed?, device? })`
// for JavaScript (see gated_fusion.h for the architecture).
#pragma once

#include <memory>

#include <napi.h>

#include "gated_fusion.h"
#include "js_model_common.h"

namespace framelab {

class JsGatedFusion : public Napi::ObjectWrap<JsGatedFusion> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit JsGatedFusion(const Napi::CallbackInfo& info);

 private:
  Napi::Value Predict(const Napi::CallbackInfo& info);
  Napi::Value TrainStep(const Napi::CallbackInfo& info);
  Napi::Value EvalLoss(const Napi::CallbackInfo& info);
  Napi::Value LoadState(const Napi::CallbackInfo& info);
  Napi::Value State(const Napi::CallbackInfo& info);
  Napi::Value SetOptimizer(const Napi::CallbackInfo& info);
  Napi::Value SetLearningRate(const Napi::CallbackInfo& info);
  Napi::Value SetCancelFlag(const Napi::CallbackInfo& info);
  Napi::Value GetDevice(const Napi::CallbackInfo& info);
  Napi::Value GetInputSize(const Napi::CallbackInfo& info);
  Napi::Value GetMetaSize(const Napi::CallbackInfo& info);
  Napi::Value GetModalitySizes(const Napi::CallbackInfo& info);
  Napi::Value GetThreads(const Napi::CallbackInfo& info);

  // { inputs, meta, mask, n, targets? } → tensors (targets only when `withTargets`).
  GatedFusionBatch batchFromJs(const Napi::Object& o, const std::string& operation, bool withTargets);
  Napi::Value lossTask(const Napi::CallbackInfo& info, const std::string& operation, bool train);

  std::shared_ptr<GatedFusionTrainer> trainer_;
  JsModelShared shared_;
};

}  // namespace framelab
