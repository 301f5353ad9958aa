#include "js_gated_fusion.h"

#include "device.h"
#include "js_convert.h"
#include "js_options.h"

namespace framelab {

namespace {

GatedFusionOptions gatedFusionOptionsFromJs(const Napi::CallbackInfo& info) {
  const auto o = objectArgument(info, 0, "new GatedFusion(options)");
  const std::string what = "new GatedFusion";
  GatedFusionOptions options;
  const Napi::Value sizes = o.Get("modalitySizes");
  if (!sizes.IsArray()) throw std::invalid_argument(what + ": modalitySizes must be an array of positive integers (one per modality)");
  const auto array = sizes.As<Napi::Array>();
  for (uint32_t i = 0; i < array.Length(); ++i) {
    const Napi::Value v = array.Get(i);
    if (!v.IsNumber()) throw std::invalid_argument(what + ": modalitySizes must be positive integers");
    options.modalitySizes.push_back(v.As<Napi::Number>().Int64Value());
  }
  options.metaSize = optionalInteger(o, "metaSize", what).value_or(0);
  options.width = optionalInteger(o, "width", what).value_or(256);
  options.towerHidden = optionalInteger(o, "towerHidden", what).value_or(0);
  // headHidden: one width (models saved before) or the list of hidden widths.
  const Napi::Value head = o.Get("headHidden");
  if (head.IsArray()) {
    const auto widths = head.As<Napi::Array>();
    for (uint32_t i = 0; i < widths.Length(); ++i) {
      const Napi::Value v = widths.Get(i);
      if (!v.IsNumber()) throw std::invalid_argument(what + ": headHidden must be positive integers");
      options.headHidden.push_back(v.As<Napi::Number>().Int64Value());
    }
    if (options.headHidden.empty()) throw std::invalid_argument(what + ": headHidden must name at least one hidden width");
  } else if (const auto width = optionalInteger(o, "headHidden", what)) {
    options.headHidden = {*width};
  }
  options.towerNorm = optionalBool(o, "towerNorm", what).value_or(false);
  options.headMask = optionalBool(o, "headMask", what).value_or(false);
  options.dropout = optionalNumber(o, "dropout", what).value_or(0.0);
  readRunOptions(o, what, options);
  return options;
}

}  // namespace

Napi::Function JsGatedFusion::Define(Napi::Env env) {
  return defineWith(env, {
                             InstanceMethod<&JsGatedFusion::Predict>("predict"),
                             InstanceAccessor<&JsGatedFusion::GetInputSize>("inputSize"),
                             InstanceAccessor<&JsGatedFusion::GetMetaSize>("metaSize"),
                             InstanceAccessor<&JsGatedFusion::GetModalitySizes>("modalitySizes"),
                         });
}

JsGatedFusion::JsGatedFusion(const Napi::CallbackInfo& info) : JsTrainable(info) { createTrainer(info, gatedFusionOptionsFromJs); }

GatedFusionBatch JsGatedFusion::batchFromJs(const Napi::Object& o, const std::string& operation, bool withTargets) {
  const int64_t n = requiredInteger(o, "n", operation);
  if (n < 1) throw std::invalid_argument(operation + ": n must be >= 1");
  GatedFusionBatch b;
  b.inputs = float32Tensor(o.Get("inputs"), operation + ": inputs", {n, trainer_->inputSize()});
  b.meta = float32Tensor(o.Get("meta"), operation + ": meta", {n, trainer_->metaSize()});
  b.mask = float32Tensor(o.Get("mask"), operation + ": mask", {n, trainer_->modalities()});
  if (withTargets) b.targets = float32Tensor(o.Get("targets"), operation + ": targets", {n, 1});
  return b;
}

Napi::Value JsGatedFusion::Predict(const Napi::CallbackInfo& info) {
  const std::string operation = operationName(".predict");
  return startTask(info, shared_.slot, operation, [&]() -> Work {
    GatedFusionBatch batch = batchFromJs(objectArgument(info, 0, operation + " batch"), operation, false);
    auto trainer = trainer_;
    return [trainer, batch]() -> ToJs {
      auto [outputs, gates] = trainer->predict(batch);
      return [outputs, gates](Napi::Env env) -> Napi::Value {
        auto result = Napi::Object::New(env);
        result.Set("outputs", toFloat32Array(env, outputs));
        result.Set("gates", toFloat32Array(env, gates));
        return result;
      };
    };
  });
}

Napi::Value JsGatedFusion::lossTask(const Napi::CallbackInfo& info, const std::string& operation, bool train) {
  return startTask(info, shared_.slot, operation, [&]() -> Work {
    GatedFusionBatch batch = batchFromJs(objectArgument(info, 0, operation + " batch"), operation, true);
    requireOptimizer(train, operation);
    auto trainer = trainer_;
    return [trainer, train, batch]() -> ToJs { return lossResult(train ? trainer->trainStep(batch) : trainer->evalLoss(batch)); };
  });
}

Napi::Value JsGatedFusion::GetInputSize(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(trainer_->inputSize()));
}

Napi::Value JsGatedFusion::GetMetaSize(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(trainer_->metaSize()));
}

Napi::Value JsGatedFusion::GetModalitySizes(const Napi::CallbackInfo& info) {
  const auto& sizes = trainer_->modalitySizes();
  auto out = Napi::Array::New(info.Env(), sizes.size());
  for (size_t i = 0; i < sizes.size(); ++i) out.Set(static_cast<uint32_t>(i), Napi::Number::New(info.Env(), static_cast<double>(sizes[i])));
  return out;
}

}  // namespace framelab
