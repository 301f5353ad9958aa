// Module init: exports { ResNet50, MLP, GatedFusion, info(), gram(), solveSpd() }.
#include <cstring>
#include <napi.h>
#include <torch/torch.h>
#include <torch/version.h>

#include "device.h"
#include "js_gated_fusion.h"
#include "js_mlp.h"
#include "js_model_common.h"
#include "js_options.h"
#include "js_resnet50.h"
#include "js_eigh.h"
#include "xgboost_booster.h"

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

// gram(x: Float64Array, n, p, outer: boolean, threads) → Float64Array: XᵀX (p×p) or, with
// outer, XXᵀ (n×n), in float64 through LibTorch's BLAS. The suite's Ridge builds its normal
// equations with it; a plain JS loop is an order of magnitude slower at 10,000 × 1,536.
// Synchronous on purpose: it runs inside a job process, never on the UI's thread.
Napi::Value Gram(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    const Napi::Env env = info.Env();
    if (info.Length() < 5 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
      throw std::invalid_argument("gram(x: Float64Array, n, p, outer, threads) needs a Float64Array first");
    }
    auto x = info[0].As<Napi::Float64Array>();
    const int64_t n = info[1].As<Napi::Number>().Int64Value();
    const int64_t p = info[2].As<Napi::Number>().Int64Value();
    const bool outer = info[3].As<Napi::Boolean>().Value();
    const int threads = info[4].As<Napi::Number>().Int32Value();
    if (n <= 0 || p <= 0 || static_cast<int64_t>(x.ElementLength()) != n * p) {
      throw std::invalid_argument("gram: x holds " + std::to_string(x.ElementLength()) + " values, not n × p = " + std::to_string(n * p));
    }
    if (threads > 0 && at::get_num_threads() != threads) at::set_num_threads(threads);
    torch::NoGradGuard noGrad;
    const auto m = torch::from_blob(x.Data(), {n, p}, torch::kFloat64);
    const auto g = (outer ? torch::mm(m, m.t()) : torch::mm(m.t(), m)).contiguous();
    const int64_t size = outer ? n * n : p * p;
    auto out = Napi::Float64Array::New(env, static_cast<size_t>(size));
    std::memcpy(out.Data(), g.data_ptr<double>(), static_cast<size_t>(size) * sizeof(double));
    return out;
  });
}

// solveSpd(a: Float64Array (m×m, symmetric positive definite), b: Float64Array (m), m, threads)
// → x with a·x = b, by Cholesky in float64 (LAPACK through LibTorch). The Ridge solve per alpha.
Napi::Value SolveSpd(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    const Napi::Env env = info.Env();
    if (info.Length() < 4 || !info[0].IsTypedArray() || !info[1].IsTypedArray()) {
      throw std::invalid_argument("solveSpd(a: Float64Array, b: Float64Array, m, threads)");
    }
    auto a = info[0].As<Napi::Float64Array>();
    auto b = info[1].As<Napi::Float64Array>();
    const int64_t m = info[2].As<Napi::Number>().Int64Value();
    const int threads = info[3].As<Napi::Number>().Int32Value();
    if (m <= 0 || static_cast<int64_t>(a.ElementLength()) != m * m || static_cast<int64_t>(b.ElementLength()) != m) {
      throw std::invalid_argument("solveSpd: a must hold m×m and b m values for m = " + std::to_string(m));
    }
    if (threads > 0 && at::get_num_threads() != threads) at::set_num_threads(threads);
    torch::NoGradGuard noGrad;
    const auto A = torch::from_blob(a.Data(), {m, m}, torch::kFloat64);
    const auto B = torch::from_blob(b.Data(), {m, 1}, torch::kFloat64);
    const auto L = torch::linalg::cholesky(A);
    const auto x = torch::cholesky_solve(B, L).contiguous();
    auto out = Napi::Float64Array::New(env, static_cast<size_t>(m));
    std::memcpy(out.Data(), x.data_ptr<double>(), static_cast<size_t>(m) * sizeof(double));
    return out;
  });
}

}  // namespace

}  // namespace framelab

static Napi::Object InitFramelabNative(Napi::Env env, Napi::Object exports) {
  exports.Set("ResNet50", framelab::JsResNet50::Define(env));
  exports.Set("MLP", framelab::JsMlp::Define(env));
  exports.Set("GatedFusion", framelab::JsGatedFusion::Define(env));
  exports.Set("info", Napi::Function::New<framelab::Info>(env, "info"));
  exports.Set("gram", Napi::Function::New<framelab::Gram>(env, "gram"));
  exports.Set("solveSpd", Napi::Function::New<framelab::SolveSpd>(env, "solveSpd"));
  exports.Set("symEig", Napi::Function::New<framelab::SymEig>(env, "symEig"));
  exports.Set("mmT", Napi::Function::New<framelab::MmT>(env, "mmT"));
  framelab::registerXgboost(env, exports);
  return exports;
}

NODE_API_MODULE(framelab_native, InitFramelabNative)
