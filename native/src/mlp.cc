#include "mlp.h"

#include <stdexcept>

namespace framelab {

Activation parseActivation(const std::string& name) {
  if (name == "gelu") return Activation::Gelu;
  if (name == "relu") return Activation::Relu;
  throw std::invalid_argument("activation must be 'gelu' or 'relu', got '" + name + "'");
}

MlpImpl::MlpImpl(const std::vector<int64_t>& sizes, Activation activation_, double dropout_)
    : activation(activation_), dropout(dropout_) {
  if (sizes.size() < 2) throw std::invalid_argument("MLP sizes need at least an input and an output width");
  for (const auto size : sizes) {
    if (size < 1) throw std::invalid_argument("MLP sizes must be positive integers");
  }
  if (!(dropout >= 0.0 && dropout < 1.0)) throw std::invalid_argument("MLP dropout must be in [0, 1)");
  layers = register_module("layers", torch::nn::ModuleList());
  for (size_t i = 0; i + 1 < sizes.size(); ++i) layers->push_back(torch::nn::Linear(sizes[i], sizes[i + 1]));
}

torch::Tensor MlpImpl::forward(torch::Tensor x) {
  const size_t last = layers->size() - 1;
  for (size_t i = 0; i <= last; ++i) {
    x = layers[i]->as<torch::nn::Linear>()->forward(x);
    if (i == last) break;
    x = activation == Activation::Gelu ? torch::gelu(x) : torch::relu(x);
    if (dropout > 0.0) x = torch::dropout(x, dropout, is_training());
  }
  return x;
}

}  // namespace framelab
