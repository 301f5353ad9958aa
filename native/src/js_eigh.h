// symEig() and mmT(): the eigen-decomposition of a symmetric float64 matrix through LibTorch (LAPACK
// syevd). The suite's PCA projection (src/main/core/suite/models/projection.ts) uses it on the
// training rows' covariance or Gram matrix.
#pragma once

#include <napi.h>

namespace framelab {

// symEig(a: Float64Array (m×m symmetric), m, threads) → { values: Float64Array (m, ascending),
// vectors: Float64Array (m×m row-major, column j = eigenvector of values[j]) }. Synchronous:
// it runs inside job processes.
Napi::Value SymEig(const Napi::CallbackInfo& info);

// mmT(a: Float64Array (n×k), b: Float64Array (m×k), n, k, m, threads) → a·bᵀ (n×m, row-major),
// float64 through LibTorch's BLAS: the projection of centred embeddings onto the PCA axes.
Napi::Value MmT(const Napi::CallbackInfo& info);

}  // namespace framelab
