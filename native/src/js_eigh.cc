#include "js_eigh.h"

#include <cstring>
#include <stdexcept>
#include <string>

#include <torch/torch.h>

#include "js_model_common.h"

namespace framelab {

Napi::Value SymEig(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    const Napi::Env env = info.Env();
    if (info.Length() < 3 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
      throw std::invalid_argument("symEig(a: Float64Array, m, threads) needs a Float64Array first");
    }
    auto a = info[0].As<Napi::Float64Array>();
    const int64_t m = info[1].As<Napi::Number>().Int64Value();
    const int threads = info[2].As<Napi::Number>().Int32Value();
    if (m <= 0 || static_cast<int64_t>(a.ElementLength()) != m * m) {
      throw std::invalid_argument("symEig: a holds " + std::to_string(a.ElementLength()) + " values, not m × m for m = " + std::to_string(m));
    }
    if (threads > 0 && at::get_num_threads() != threads) at::set_num_threads(threads);
    torch::NoGradGuard noGrad;
    const auto A = torch::from_blob(a.Data(), {m, m}, torch::kFloat64);
    // Lower triangle, like numpy.linalg.eigh's default.
    auto [values, vectors] = torch::linalg_eigh(A, "L");
    values = values.contiguous();
    vectors = vectors.contiguous();
    auto outValues = Napi::Float64Array::New(env, static_cast<size_t>(m));
    std::memcpy(outValues.Data(), values.data_ptr<double>(), static_cast<size_t>(m) * sizeof(double));
    auto outVectors = Napi::Float64Array::New(env, static_cast<size_t>(m * m));
    std::memcpy(outVectors.Data(), vectors.data_ptr<double>(), static_cast<size_t>(m * m) * sizeof(double));
    auto out = Napi::Object::New(env);
    out.Set("values", outValues);
    out.Set("vectors", outVectors);
    return out;
  });
}

Napi::Value MmT(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    const Napi::Env env = info.Env();
    const auto isF64 = [&](size_t i) { return info[i].IsTypedArray() && info[i].As<Napi::TypedArray>().TypedArrayType() == napi_float64_array; };
    if (info.Length() < 6 || !isF64(0) || !isF64(1)) throw std::invalid_argument("mmT(a: Float64Array, b: Float64Array, n, k, m, threads)");
    auto a = info[0].As<Napi::Float64Array>();
    auto b = info[1].As<Napi::Float64Array>();
    const int64_t n = info[2].As<Napi::Number>().Int64Value();
    const int64_t k = info[3].As<Napi::Number>().Int64Value();
    const int64_t m = info[4].As<Napi::Number>().Int64Value();
    const int threads = info[5].As<Napi::Number>().Int32Value();
    if (n <= 0 || k <= 0 || m <= 0 || static_cast<int64_t>(a.ElementLength()) != n * k || static_cast<int64_t>(b.ElementLength()) != m * k) {
      throw std::invalid_argument("mmT: a must hold n×k and b m×k values (n = " + std::to_string(n) + ", k = " + std::to_string(k) + ", m = " + std::to_string(m) + ")");
    }
    if (threads > 0 && at::get_num_threads() != threads) at::set_num_threads(threads);
    torch::NoGradGuard noGrad;
    const auto A = torch::from_blob(a.Data(), {n, k}, torch::kFloat64);
    const auto B = torch::from_blob(b.Data(), {m, k}, torch::kFloat64);
    const auto c = torch::mm(A, B.t()).contiguous();
    auto out = Napi::Float64Array::New(env, static_cast<size_t>(n * m));
    std::memcpy(out.Data(), c.data_ptr<double>(), static_cast<size_t>(n * m) * sizeof(double));
    return out;
  });
}

}  // namespace framelab
