// Copies between JavaScript typed arrays and torch tensors (main thread only). Inputs are copied
// so JavaScript may reuse its arrays while a heavy call runs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <napi.h>
#include <torch/torch.h>

#include "state_dict.h"

namespace framelab {

// A Float32Array holding exactly prod(shape) values → a new CPU float32 tensor of that shape.
torch::Tensor float32Tensor(const Napi::Value& value, const std::string& what, const std::vector<int64_t>& shape);

// An Int32Array of n labels, each in [0, numClasses) → a new CPU int64 tensor.
torch::Tensor labelsTensor(const Napi::Value& value, const std::string& what, int64_t n, int64_t numClasses);

// Optional per-class weights (undefined → an undefined tensor): a Float32Array of numClasses values.
torch::Tensor classWeightsTensor(const Napi::Value& value, const std::string& what, int64_t numClasses);

// N×C×H×W for a batch in a flat array of `length` values: H×W from `size` ({height, width}) when
// given, else square (an error when length/(N·C) is not a square number).
std::vector<int64_t> batchShape(size_t length, int64_t n, int64_t channels, std::optional<std::pair<int64_t, int64_t>> size,
                                const std::string& what);

// Length of a Float32Array argument (an error naming `what` for anything else).
size_t float32Length(const Napi::Value& value, const std::string& what);

Napi::Float32Array toFloat32Array(Napi::Env env, const torch::Tensor& hostFloat);

// [{ name, shape, dtype: 'float32' | 'int64', data: Float32Array | BigInt64Array }] ↔ NamedTensor.
// entriesFromJs's tensors VIEW the JavaScript arrays (no copy): use them before returning to
// JavaScript, e.g. to load a state synchronously. entriesToJs copies into new typed arrays.
std::vector<NamedTensor> entriesFromJs(const Napi::Value& value);
Napi::Array entriesToJs(Napi::Env env, const std::vector<NamedTensor>& entries);

}  // namespace framelab
