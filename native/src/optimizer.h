// Optimisers with torch.optim's defaults: Adam, AdamW, SGD (momentum, Nesterov).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace framelab {

enum class OptimizerKind { Adam, AdamW, Sgd };

// Unset fields take torch.optim's defaults for the kind: lr 1e-3 (Adam/AdamW; SGD has none and needs
// one), betas (0.9, 0.999), eps 1e-8, weight decay 0 (Adam, SGD) or 1e-2 (AdamW), momentum 0,
// dampening 0, nesterov false, amsgrad false.
struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::Adam;
  std::optional<double> lr;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  std::optional<double> weightDecay;
  double momentum = 0.0;
  double dampening = 0.0;
  bool nesterov = false;
  bool amsgrad = false;
};

OptimizerKind parseOptimizerKind(const std::string& name);

// Checks the values as torch.optim does and builds the optimiser over `params`.
std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const OptimizerConfig& config, std::vector<torch::Tensor> params);

// Sets the learning rate of every parameter group (for schedules); keeps the optimiser's state.
void setLearningRate(torch::optim::Optimizer& optimizer, double lr);

}  // namespace framelab
