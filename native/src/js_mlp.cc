#include "js_mlp.h"

#include "device.h"
#include "js_convert.h"
#include "js_options.h"

namespace framelab {

namespace {

const std::string kMlpClass = "MLP";

MlpOptions mlpOptionsFromJs(const Napi::CallbackInfo& info) {
  const auto o = objectArgument(info, 0, "new MLP(options)");
  const std::string what = "new MLP";
  MlpOptions options;
  const Napi::Value sizes = o.Get("sizes");
  if (!sizes.IsArray()) throw std::invalid_argument(what + ": sizes must be an array [input, hidden…, output]");
  const auto array = sizes.As<Napi::Array>();
  for (uint32_t i = 0; i < array.Length(); ++i) {
    const Napi::Value v = array.Get(i);
    if (!v.IsNumber()) throw std::invalid_argument(what + ": sizes must be positive integers");
    options.sizes.push_back(v.As<Napi::Number>().Int64Value());
  }
  options.loss = parseMlpLoss(optionalString(o, "loss", what).value_or("mse"));
  options.activation = parseActivation(optionalString(o, "activation", what).value_or("gelu"));
  options.dropout = optionalNumber(o, "dropout", what).value_or(0.0);
  options.threads = static_cast<int>(optionalInteger(o, "threads", what).value_or(defaultThreads()));
  const auto seed = optionalInteger(o, "seed", what).value_or(0);
  if (seed < 0) throw std::invalid_argument(what + ": seed must be >= 0");
  options.seed = static_cast<uint64_t>(seed);
  options.device = optionalString(o, "device", what).value_or("auto");
  return options;
}

}  // namespace

Napi::Function JsMlp::Define(Napi::Env env) {
  return DefineClass(env, "MLP",
                     {
                         InstanceMethod<&JsMlp::Predict>("predict"),
                         InstanceMethod<&JsMlp::TrainStep>("trainStep"),
                         InstanceMethod<&JsMlp::EvalLoss>("evalLoss"),
                         InstanceMethod<&JsMlp::LoadState>("loadState"),
                         InstanceMethod<&JsMlp::State>("state"),
                         InstanceMethod<&JsMlp::SetOptimizer>("setOptimizer"),
                         InstanceMethod<&JsMlp::SetLearningRate>("setLearningRate"),
                         InstanceMethod<&JsMlp::SetCancelFlag>("setCancelFlag"),
                         InstanceAccessor<&JsMlp::GetDevice>("device"),
                         InstanceAccessor<&JsMlp::GetInputSize>("inputSize"),
                         InstanceAccessor<&JsMlp::GetOutputSize>("outputSize"),
                         InstanceAccessor<&JsMlp::GetThreads>("threads"),
                     });
}

JsMlp::JsMlp(const Napi::CallbackInfo& info) : Napi::ObjectWrap<JsMlp>(info) {
  guard(info.Env(), [&] {
    trainer_ = std::make_shared<MlpTrainer>(mlpOptionsFromJs(info));
    return info.Env().Undefined();
  });
}

Napi::Value JsMlp::Predict(const Napi::CallbackInfo& info) {
  const std::string operation = kMlpClass + ".predict";
  return startTask(info, shared_.slot, operation, [&]() -> Work {
    const int64_t n = integerArgument(info, 1, operation + ": n");
    torch::Tensor inputs = float32Tensor(info[0], operation + ": inputs", {n, trainer_->inputSize()});
    auto trainer = trainer_;
    return [trainer, inputs]() -> ToJs {
      torch::Tensor out = trainer->predict(inputs);
      return [out](Napi::Env env) -> Napi::Value { return toFloat32Array(env, out); };
    };
  });
}

Napi::Value JsMlp::lossTask(const Napi::CallbackInfo& info, const std::string& operation, bool train) {
  return startTask(info, shared_.slot, operation, [&]() -> Work {
    const auto o = objectArgument(info, 0, operation + " options");
    const int64_t n = requiredInteger(o, "n", operation);
    if (n < 1) throw std::invalid_argument(operation + ": n must be >= 1");
    torch::Tensor inputs = float32Tensor(o.Get("inputs"), operation + ": inputs", {n, trainer_->inputSize()});
    torch::Tensor targets, weights;
    if (trainer_->loss() == MlpLoss::Mse) {
      targets = float32Tensor(o.Get("targets"), operation + ": targets", {n, trainer_->outputSize()});
    } else {
      targets = labelsTensor(o.Get("targets"), operation + ": targets", n, trainer_->outputSize());
      weights = classWeightsTensor(o.Get("classWeights"), operation + ": classWeights", trainer_->outputSize());
    }
    if (train && !trainer_->core().hasOptimizer()) {
      throw std::logic_error(operation + ": no optimiser yet; call setOptimizer first");
    }
    auto trainer = trainer_;
    return [trainer, train, inputs, targets, weights]() -> ToJs {
      const float loss = train ? trainer->trainStep(inputs, targets, weights) : trainer->evalLoss(inputs, targets, weights);
      return [loss](Napi::Env env) -> Napi::Value {
        auto result = Napi::Object::New(env);
        result.Set("loss", Napi::Number::New(env, loss));
        return result;
      };
    };
  });
}

Napi::Value JsMlp::TrainStep(const Napi::CallbackInfo& info) { return lossTask(info, kMlpClass + ".trainStep", true); }

Napi::Value JsMlp::EvalLoss(const Napi::CallbackInfo& info) { return lossTask(info, kMlpClass + ".evalLoss", false); }

Napi::Value JsMlp::LoadState(const Napi::CallbackInfo& info) { return jsLoadState(info, trainer_->core(), shared_, kMlpClass); }

Napi::Value JsMlp::State(const Napi::CallbackInfo& info) { return jsState(info, trainer_->core(), shared_, kMlpClass); }

Napi::Value JsMlp::SetOptimizer(const Napi::CallbackInfo& info) {
  auto trainer = trainer_;
  return jsSetOptimizer(info, shared_, kMlpClass, [trainer](const OptimizerConfig& c) { trainer->setOptimizer(c); });
}

Napi::Value JsMlp::SetLearningRate(const Napi::CallbackInfo& info) { return jsSetLearningRate(info, trainer_->core(), shared_, kMlpClass); }

Napi::Value JsMlp::SetCancelFlag(const Napi::CallbackInfo& info) { return jsSetCancelFlag(info, trainer_->core(), shared_, kMlpClass); }

Napi::Value JsMlp::GetDevice(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), deviceName(trainer_->core().device()));
}

Napi::Value JsMlp::GetInputSize(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(trainer_->inputSize()));
}

Napi::Value JsMlp::GetOutputSize(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(trainer_->outputSize()));
}

Napi::Value JsMlp::GetThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), trainer_->core().threads()); }

}  // namespace framelab
