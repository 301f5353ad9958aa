#include "js_resnet50.h"

#include "device.h"
#include "js_convert.h"
#include "js_options.h"

namespace framelab {

namespace {

const std::string kResNetClass = "ResNet50";

ResNet50Options resnetOptionsFromJs(const Napi::CallbackInfo& info) {
  const auto o = objectArgument(info, 0, "new ResNet50(options)");
  const std::string what = "new ResNet50";
  ResNet50Options options;
  options.numClasses = requiredInteger(o, "numClasses", what);
  options.threads = static_cast<int>(optionalInteger(o, "threads", what).value_or(defaultThreads()));
  const auto seed = optionalInteger(o, "seed", what).value_or(0);
  if (seed < 0) throw std::invalid_argument(what + ": seed must be >= 0");
  options.seed = static_cast<uint64_t>(seed);
  options.device = optionalString(o, "device", what).value_or("auto");
  return options;
}

}  // namespace

Napi::Function JsResNet50::Define(Napi::Env env) {
  return DefineClass(env, "ResNet50",
                     {
                         InstanceMethod<&JsResNet50::Forward>("forward"),
                         InstanceMethod<&JsResNet50::Features>("features"),
                         InstanceMethod<&JsResNet50::ForwardFromFeatures>("forwardFromFeatures"),
                         InstanceMethod<&JsResNet50::TrainStep>("trainStep"),
                         InstanceMethod<&JsResNet50::EvalLoss>("evalLoss"),
                         InstanceMethod<&JsResNet50::LoadState>("loadState"),
                         InstanceMethod<&JsResNet50::State>("state"),
                         InstanceMethod<&JsResNet50::SetOptimizer>("setOptimizer"),
                         InstanceMethod<&JsResNet50::SetLearningRate>("setLearningRate"),
                         InstanceMethod<&JsResNet50::SetCancelFlag>("setCancelFlag"),
                         InstanceAccessor<&JsResNet50::GetDevice>("device"),
                         InstanceAccessor<&JsResNet50::GetNumClasses>("numClasses"),
                         InstanceAccessor<&JsResNet50::GetThreads>("threads"),
                     });
}

JsResNet50::JsResNet50(const Napi::CallbackInfo& info) : Napi::ObjectWrap<JsResNet50>(info) {
  guard(info.Env(), [&] {
    trainer_ = std::make_shared<ResNet50Trainer>(resnetOptionsFromJs(info));
    return info.Env().Undefined();
  });
}

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
  return imageTask(info, kResNetClass + ".forward", &ResNet50Trainer::forward);
}

Napi::Value JsResNet50::Features(const Napi::CallbackInfo& info) {
  return imageTask(info, kResNetClass + ".features", &ResNet50Trainer::features);
}

Napi::Value JsResNet50::ForwardFromFeatures(const Napi::CallbackInfo& info) {
  const std::string operation = kResNetClass + ".forwardFromFeatures";
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
    if (train && !trainer_->core().hasOptimizer()) {
      throw std::logic_error(operation + ": no optimiser yet; call setOptimizer first");
    }
    auto trainer = trainer_;
    return [trainer, train, features, labels, weights]() -> ToJs {
      const float loss = train ? trainer->trainStep(features, labels, weights) : trainer->evalLoss(features, labels, weights);
      return [loss](Napi::Env env) -> Napi::Value {
        auto result = Napi::Object::New(env);
        result.Set("loss", Napi::Number::New(env, loss));
        return result;
      };
    };
  });
}

Napi::Value JsResNet50::TrainStep(const Napi::CallbackInfo& info) { return lossTask(info, kResNetClass + ".trainStep", true); }

Napi::Value JsResNet50::EvalLoss(const Napi::CallbackInfo& info) { return lossTask(info, kResNetClass + ".evalLoss", false); }

Napi::Value JsResNet50::LoadState(const Napi::CallbackInfo& info) { return jsLoadState(info, trainer_->core(), shared_, kResNetClass); }

Napi::Value JsResNet50::State(const Napi::CallbackInfo& info) { return jsState(info, trainer_->core(), shared_, kResNetClass); }

Napi::Value JsResNet50::SetOptimizer(const Napi::CallbackInfo& info) {
  auto trainer = trainer_;
  return jsSetOptimizer(info, shared_, kResNetClass, [trainer](const OptimizerConfig& c) { trainer->setOptimizer(c); });
}

Napi::Value JsResNet50::SetLearningRate(const Napi::CallbackInfo& info) {
  return jsSetLearningRate(info, trainer_->core(), shared_, kResNetClass);
}

Napi::Value JsResNet50::SetCancelFlag(const Napi::CallbackInfo& info) {
  return jsSetCancelFlag(info, trainer_->core(), shared_, kResNetClass);
}

Napi::Value JsResNet50::GetDevice(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), deviceName(trainer_->core().device()));
}

Napi::Value JsResNet50::GetNumClasses(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(trainer_->numClasses()));
}

Napi::Value JsResNet50::GetThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), trainer_->core().threads()); }

}  // namespace framelab
