// A plain multilayer perceptron for suite models: Linear layers with GELU (or ReLU) and dropout
// between them. State-dict names: layers.0.weight, layers.0.bias, layers.1.weight, …
#pragma once

#include <string>
#include <vector>

#include <torch/torch.h>

namespace framelab {

enum class Activation { Gelu, Relu };

Activation parseActivation(const std::string& name);

struct MlpImpl : torch::nn::Module {
  // sizes: input width, hidden widths…, output width (at least two entries).
  MlpImpl(const std::vector<int64_t>& sizes, Activation activation, double dropout);
  torch::Tensor forward(torch::Tensor x);

  torch::nn::ModuleList layers{nullptr};
  Activation activation;
  double dropout;
};
TORCH_MODULE(Mlp);

}  // namespace framelab
