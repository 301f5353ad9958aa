// `new GatedFusion({ modalitySizes, metaSize, width?, towerHidden?, headHidden?, dropout?, threads?, seed?, device? })`
// for JavaScript (see gated_fusion.h for the architecture).
#pragma once

#include <string>

#include <napi.h>

#include "gated_fusion.h"
#include "js_trainable.h"

namespace framelab {

class JsGatedFusion : public JsTrainable<JsGatedFusion, GatedFusionTrainer> {
 public:
  static constexpr const char* kClassName = "GatedFusion";
  static Napi::Function Define(Napi::Env env);
  explicit JsGatedFusion(const Napi::CallbackInfo& info);

  // { inputs, meta, mask, n, targets } in, { loss } out (JsTrainable's trainStep / evalLoss).
  Napi::Value lossTask(const Napi::CallbackInfo& info, const std::string& operation, bool train);

 private:
  Napi::Value Predict(const Napi::CallbackInfo& info);
  Napi::Value GetInputSize(const Napi::CallbackInfo& info);
  Napi::Value GetMetaSize(const Napi::CallbackInfo& info);
  Napi::Value GetModalitySizes(const Napi::CallbackInfo& info);

  // { inputs, meta, mask, n, targets? } → tensors (targets only when `withTargets`).
  GatedFusionBatch batchFromJs(const Napi::Object& o, const std::string& operation, bool withTargets);
};

}  // namespace framelab
