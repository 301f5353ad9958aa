// `new MLP({ sizes, loss, activation?, dropout?, threads?, seed?, device? })` for JavaScript.
#pragma once

#include <string>

#include <napi.h>

#include "js_trainable.h"
#include "mlp_trainer.h"

namespace framelab {

class JsMlp : public JsTrainable<JsMlp, MlpTrainer> {
 public:
  static constexpr const char* kClassName = "MLP";
  static Napi::Function Define(Napi::Env env);
  explicit JsMlp(const Napi::CallbackInfo& info);

  // { inputs, n, targets, classWeights? } in, { loss } out (JsTrainable's trainStep / evalLoss).
  Napi::Value lossTask(const Napi::CallbackInfo& info, const std::string& operation, bool train);

 private:
  Napi::Value Predict(const Napi::CallbackInfo& info);
  Napi::Value GetInputSize(const Napi::CallbackInfo& info);
  Napi::Value GetOutputSize(const Napi::CallbackInfo& info);
};

}  // namespace framelab
