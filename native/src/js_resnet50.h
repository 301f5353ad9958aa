// `new ResNet50({ numClasses, threads?, seed?, device? })` for JavaScript.
#pragma once

#include <memory>

#include <napi.h>

#include "js_model_common.h"
#include "resnet50_trainer.h"

namespace framelab {

class JsResNet50 : public Napi::ObjectWrap<JsResNet50> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit JsResNet50(const Napi::CallbackInfo& info);

 private:
  // Heavy: Promises, run on the threadpool.
  Napi::Value Forward(const Napi::CallbackInfo& info);
  Napi::Value Features(const Napi::CallbackInfo& info);
  Napi::Value ForwardFromFeatures(const Napi::CallbackInfo& info);
  Napi::Value TrainStep(const Napi::CallbackInfo& info);
  Napi::Value EvalLoss(const Napi::CallbackInfo& info);
  // Synchronous.
  Napi::Value LoadState(const Napi::CallbackInfo& info);
  Napi::Value State(const Napi::CallbackInfo& info);
  Napi::Value SetOptimizer(const Napi::CallbackInfo& info);
  Napi::Value SetLearningRate(const Napi::CallbackInfo& info);
  Napi::Value SetCancelFlag(const Napi::CallbackInfo& info);
  Napi::Value GetDevice(const Napi::CallbackInfo& info);
  Napi::Value GetNumClasses(const Napi::CallbackInfo& info);
  Napi::Value GetThreads(const Napi::CallbackInfo& info);

  // Images (N×3×H×W) in, a Float32Array out.
  Napi::Value imageTask(const Napi::CallbackInfo& info, const std::string& operation,
                        torch::Tensor (ResNet50Trainer::*method)(const torch::Tensor&));
  // { features, n, labels, classWeights?, height?, width? } in, { loss } out.
  Napi::Value lossTask(const Napi::CallbackInfo& info, const std::string& operation, bool train);

  std::shared_ptr<ResNet50Trainer> trainer_;
  JsModelShared shared_;
};

}  // namespace framelab
