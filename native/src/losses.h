// Losses with torch.nn.functional's semantics.
#pragma once

#include <torch/torch.h>

namespace framelab {

// Cross-entropy over logits N×C and int64 labels N. With classWeights (C floats, defined) it is
// torch's weighted mean: sum(w[y_i] · nll_i) / sum(w[y_i]).
torch::Tensor crossEntropy(const torch::Tensor& logits, const torch::Tensor& labels, const torch::Tensor& classWeights);

// Mean squared error over all elements.
torch::Tensor meanSquaredError(const torch::Tensor& predictions, const torch::Tensor& targets);

}  // namespace framelab
