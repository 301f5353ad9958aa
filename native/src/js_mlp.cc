#include "js_mlp.h"

#include "device.h"
#include "js_convert.h"
#include "js_options.h"

namespace framelab {

namespace {

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
  readRunOptions(o, what, options);
  return options;
}

}  // namespace

Napi::Function JsMlp::Define(Napi::Env env) {
  return defineWith(env, {
                             InstanceMethod<&JsMlp::Predict>("predict"),
                             InstanceAccessor<&JsMlp::GetInputSize>("inputSize"),
                             InstanceAccessor<&JsMlp::GetOutputSize>("outputSize"),
                         });
}

JsMlp::JsMlp(const Napi::CallbackInfo& info) : JsTrainable(info) { createTrainer(info, mlpOptionsFromJs); }

Napi::Value JsMlp::Predict(const Napi::CallbackInfo& info) {
  const std::string operation = operationName(".predict");
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
    requireOptimizer(train, operation);
    auto trainer = trainer_;
    return [trainer, train, inputs, targets, weights]() -> ToJs {
      return lossResult(train ? trainer->trainStep(inputs, targets, weights) : trainer->evalLoss(inputs, targets, weights));
    };
  });
}

Napi::Value JsMlp::GetInputSize(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(trainer_->inputSize()));
}

Napi::Value JsMlp::GetOutputSize(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(trainer_->outputSize()));
}

}  // namespace framelab
