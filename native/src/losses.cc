#include "losses.h"

namespace framelab {

torch::Tensor crossEntropy(const torch::Tensor& logits, const torch::Tensor& labels, const torch::Tensor& classWeights) {
  namespace F = torch::nn::functional;
  auto options = F::CrossEntropyFuncOptions();
  if (classWeights.defined()) options.weight(classWeights);
  return F::cross_entropy(logits, labels, options);
}

torch::Tensor meanSquaredError(const torch::Tensor& predictions, const torch::Tensor& targets) {
  return torch::mse_loss(predictions, targets);
}

}  // namespace framelab
