// What every trainable model class (ResNet50, MLP, GatedFusion) shows JavaScript the same way:
// trainStep / evalLoss (through the class's own lossTask, which reads its batch), loadState,
// state, setOptimizer, setLearningRate, setCancelFlag, and the device and threads accessors.
// A class derives from JsTrainable<Itself, ItsTrainer>, names itself in kClassName, gives its
// lossTask and its own members, and defines itself with defineWith(). Main thread only.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <napi.h>

#include "async_task.h"
#include "device.h"
#include "js_model_common.h"

namespace framelab {

// `{ loss }`: what trainStep and evalLoss resolve to.
inline ToJs lossResult(float loss) {
  return [loss](Napi::Env env) -> Napi::Value {
    auto result = Napi::Object::New(env);
    result.Set("loss", Napi::Number::New(env, loss));
    return result;
  };
}

template <typename Derived, typename Trainer>
class JsTrainable : public Napi::ObjectWrap<Derived> {
 public:
  explicit JsTrainable(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Derived>(info) {}

 protected:
  using Wrap = Napi::ObjectWrap<Derived>;
  using Descriptor = typename Wrap::PropertyDescriptor;

  // The class with its own members first, then the shared ones.
  static Napi::Function defineWith(Napi::Env env, std::vector<Descriptor> members) {
    // Base members reach ObjectWrap as the derived class's (a standard member-pointer conversion).
    using Method = Napi::Value (Derived::*)(const Napi::CallbackInfo&);
    const auto method = [&](const char* name, Napi::Value (JsTrainable::*f)(const Napi::CallbackInfo&)) {
      members.push_back(Wrap::InstanceMethod(name, static_cast<Method>(f)));
    };
    const auto getter = [&](const char* name, Napi::Value (JsTrainable::*f)(const Napi::CallbackInfo&)) {
      members.push_back(Wrap::InstanceAccessor(name, static_cast<Method>(f), nullptr));
    };
    method("trainStep", &JsTrainable::TrainStep);
    method("evalLoss", &JsTrainable::EvalLoss);
    method("loadState", &JsTrainable::LoadState);
    method("state", &JsTrainable::State);
    method("setOptimizer", &JsTrainable::SetOptimizer);
    method("setLearningRate", &JsTrainable::SetLearningRate);
    method("setCancelFlag", &JsTrainable::SetCancelFlag);
    getter("device", &JsTrainable::GetDevice);
    getter("threads", &JsTrainable::GetThreads);
    return Wrap::DefineClass(env, Derived::kClassName, members);
  }

  // The constructor's work: options from JavaScript → the trainer; a bad option is a JavaScript Error.
  template <typename ReadOptions>
  void createTrainer(const Napi::CallbackInfo& info, ReadOptions readOptions) {
    guard(info.Env(), [&] {
      trainer_ = std::make_shared<Trainer>(readOptions(info));
      return info.Env().Undefined();
    });
  }

  // "MLP" + ".predict" → "MLP.predict": how errors name the call.
  static std::string operationName(const char* method) { return std::string(Derived::kClassName) + method; }

  // A training step needs an optimiser; evaluation does not.
  void requireOptimizer(bool train, const std::string& operation) {
    if (train && !trainer_->core().hasOptimizer()) throw std::logic_error(operation + ": no optimiser yet; call setOptimizer first");
  }

  std::shared_ptr<Trainer> trainer_;
  JsModelShared shared_;

 private:
  Napi::Value TrainStep(const Napi::CallbackInfo& info) { return self().lossTask(info, operationName(".trainStep"), true); }
  Napi::Value EvalLoss(const Napi::CallbackInfo& info) { return self().lossTask(info, operationName(".evalLoss"), false); }
  Napi::Value LoadState(const Napi::CallbackInfo& info) { return jsLoadState(info, trainer_->core(), shared_, Derived::kClassName); }
  Napi::Value State(const Napi::CallbackInfo& info) { return jsState(info, trainer_->core(), shared_, Derived::kClassName); }
  Napi::Value SetOptimizer(const Napi::CallbackInfo& info) {
    auto trainer = trainer_;
    return jsSetOptimizer(info, shared_, Derived::kClassName, [trainer](const OptimizerConfig& c) { trainer->setOptimizer(c); });
  }
  Napi::Value SetLearningRate(const Napi::CallbackInfo& info) {
    return jsSetLearningRate(info, trainer_->core(), shared_, Derived::kClassName);
  }
  Napi::Value SetCancelFlag(const Napi::CallbackInfo& info) { return jsSetCancelFlag(info, trainer_->core(), shared_, Derived::kClassName); }
  Napi::Value GetDevice(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), deviceName(trainer_->core().device())); }
  Napi::Value GetThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), trainer_->core().threads()); }

  Derived& self() { return static_cast<Derived&>(*this); }
};

}  // namespace framelab
