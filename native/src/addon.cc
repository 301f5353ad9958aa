// Module init: exports { ResNet50, MLP, info() }.
#include <napi.h>
#include <torch/torch.h>
#include <torch/version.h>

#include "device.h"
#include "js_mlp.h"
#include "js_model_common.h"
#include "js_options.h"
#include "js_resnet50.h"

namespace framelab {

namespace {

// info() → { torchVersion, cudaAvailable, cudaDevices, threads (the default `threads` of new models) }
Napi::Value Info(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    const Napi::Env env = info.Env();
    auto out = Napi::Object::New(env);
    out.Set("torchVersion", TORCH_VERSION);
    const bool cuda = cudaAvailable();
    out.Set("cudaAvailable", cuda);
    out.Set("cudaDevices", Napi::Number::New(env, cuda ? static_cast<double>(torch::cuda::device_count()) : 0.0));
    out.Set("threads", Napi::Number::New(env, defaultThreads()));
    return out;
  });
}

}  // namespace

}  // namespace framelab

static Napi::Object InitFramelabNative(Napi::Env env, Napi::Object exports) {
  exports.Set("ResNet50", framelab::JsResNet50::Define(env));
  exports.Set("MLP", framelab::JsMlp::Define(env));
  exports.Set("info", Napi::Function::New<framelab::Info>(env, "info"));
  return exports;
}

NODE_API_MODULE(framelab_native, InitFramelabNative)
