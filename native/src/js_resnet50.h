// `new ResNet50({ numClasses, threads?, seed?, device? })` for JavaScript.
#pragma once

#include <string>

#include <napi.h>

#include "js_trainable.h"
#include "resnet50_trainer.h"

namespace framelab {

class JsResNet50 : public JsTrainable<JsResNet50, ResNet50Trainer> {
 public:
  static constexpr const char* kClassName = "ResNet50";
  static Napi::Function Define(Napi::Env env);
  explicit JsResNet50(const Napi::CallbackInfo& info);

  // { features, n, labels, classWeights?, height?, width? } in, { loss } out (JsTrainable's trainStep / evalLoss).
  Napi::Value lossTask(const Napi::CallbackInfo& info, const std::string& operation, bool train);

 private:
  // Promises, run on the threadpool.
  Napi::Value Forward(const Napi::CallbackInfo& info);
  Napi::Value Features(const Napi::CallbackInfo& info);
  Napi::Value ForwardFromFeatures(const Napi::CallbackInfo& info);
  Napi::Value GetNumClasses(const Napi::CallbackInfo& info);

  // Images (N×3×H×W) in, a Float32Array out.
  Napi::Value imageTask(const Napi::CallbackInfo& info, const std::string& operation,
                        torch::Tensor (ResNet50Trainer::*method)(const torch::Tensor&));
};

}  // namespace framelab
