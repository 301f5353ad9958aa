// `new MLP({ sizes, loss, activation?, dropout?, threads?, seed?, device? })` for JavaScript.
#pragma once

#include <memory>

#include <napi.h>

#include "js_model_common.h"
#include "mlp_trainer.h"

namespace framelab {

class JsMlp : public Napi::ObjectWrap<JsMlp> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit JsMlp(const Napi::CallbackInfo& info);

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
  Napi::Value GetOutputSize(const Napi::CallbackInfo& info);
  Napi::Value GetThreads(const Napi::CallbackInfo& info);

  // { inputs, n, targets, classWeights? } in, { loss } out.
  Napi::Value lossTask(const Napi::CallbackInfo& info, const std::string& operation, bool train);

  std::shared_ptr<MlpTrainer> trainer_;
  JsModelShared shared_;
};

}  // namespace framelab
