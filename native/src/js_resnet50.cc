#include "js_resnet50.h"

#include "device.h"
#include "js_convert.h"
#include "js_options.h"

namespace framelab {

namespace {

ResNet50Options resnetOptionsFromJs(const Napi::CallbackInfo& info) {
  const auto o = objectArgument(info, 0, "new ResNet50(options)");
  const std::string what = "new ResNet50";
  ResNet50Options options;
  options.numClasses = requiredInteger(o, "numClasses", what);
  readRunOptions(o, what, options);
  return options;
}

}  // namespace

Napi::Function JsResNet50::Define(Napi::Env env) {
  return defineWith(env, {
                             InstanceMethod<&JsResNet50::Forward>("forward"),
                             InstanceMethod<&JsResNet50::Features>("features"),
                             InstanceMethod<&JsResNet50::ForwardFromFeatures>("forwardFromFeatures"),
                             InstanceAccessor<&JsResNet50::GetNumClasses>("numClasses"),
                         });
}

JsResNet50::JsResNet50(const Napi::CallbackInfo& info) : JsTrainable(info) { createTrainer(info, resnetOptionsFromJs); }

Napi::Value JsResNet50::imageTask(const Napi::CallbackInfo& info, const std::string& operation,
                                  torch::Tensor (ResNet50Trainer::*method)(const torch::Tensor&)) {
  return startTask(info, shared_.slot, operation, [&]() -> Work {
    const std::string what = operation + ": images";
    const int64_t n = integerArgument(info, 1, operation + ": n");
    const auto shape = batchShape(float32Length(info[0], what), n, 3, optionalSize(info[2], operation), what);
    torch::Tensor images = float32Tensor(info[0], what, shape);
    auto trainer = trainer_;
    return [trainer, method, images]() -> ToJs {
      torch::Tensor out = ((*trainer).*method)(images);
      return [out](Napi::Env env) -> Napi::Value { return toFloat32Array(env, out); };
    };
  });
}

Napi::Value JsResNet50::Forward(const Napi::CallbackInfo& info) {
  return imageTask(info, operationName(".forward"), &ResNet50Trainer::forward);
}

Napi::Value JsResNet50::Features(const Napi::CallbackInfo& info) {
  return imageTask(info, operationName(".features"), &ResNet50Trainer::features);
}

Napi::Value JsResNet50::ForwardFromFeatures(const Napi::CallbackInfo& info) {
  const std::string operation = operationName(".forwardFromFeatures");
  return startTask(info, shared_.slot, operation, [&]() -> Work {
    const std::string what = operation + ": features";
    const int64_t n = integerArgument(info, 1, operation + ": n");
    const auto shape = batchShape(float32Length(info[0], what), n, kResNet50FeatureChannels, optionalSize(info[2], operation), what);
    torch::Tensor features = float32Tensor(info[0], what, shape);
    auto trainer = trainer_;
    return [trainer, features]() -> ToJs {
      torch::Tensor out = trainer->forwardFromFeatures(features);
      return [out](Napi::Env env) -> Napi::Value { return toFloat32Array(env, out); };
    };
  });
}

Napi::Value JsResNet50::lossTask(const Napi::CallbackInfo& info, const std::string& operation, bool train) {
  return startTask(info, shared_.slot, operation, [&]() -> Work {
    const auto o = objectArgument(info, 0, operation + " options");
    const int64_t n = requiredInteger(o, "n", operation);
    const std::string what = operation + ": features";
    const auto shape =
        batchShape(float32Length(o.Get("features"), what), n, kResNet50FeatureChannels, optionalSize(o, operation), what);
    torch::Tensor features = float32Tensor(o.Get("features"), what, shape);
    torch::Tensor labels = labelsTensor(o.Get("labels"), operation + ": labels", n, trainer_->numClasses());
    torch::Tensor weights = classWeightsTensor(o.Get("classWeights"), operation + ": classWeights", trainer_->numClasses());
    requireOptimizer(train, operation);
    auto trainer = trainer_;
    return [trainer, train, features, labels, weights]() -> ToJs {
      return lossResult(train ? trainer->trainStep(features, labels, weights) : trainer->evalLoss(features, labels, weights));
    };
  });
}

Napi::Value JsResNet50::GetNumClasses(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(trainer_->numClasses()));
}

}  // namespace framelab
