// A generic MLP trained with the shared optimiser step (suite models: regression with MSE, or
// classification with cross-entropy). Plain C++ (no Node-API): every method may run on a worker thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "mlp.h"
#include "model_core.h"

namespace framelab {

enum class MlpLoss { Mse, CrossEntropy };

MlpLoss parseMlpLoss(const std::string& name);

struct MlpOptions {
  std::vector<int64_t> sizes;
  Activation activation = Activation::Gelu;
  double dropout = 0.0;
  MlpLoss loss = MlpLoss::Mse;
  int threads = 1;
  uint64_t seed = 0;
  std::string device = "auto";
};

class MlpTrainer {
 public:
  explicit MlpTrainer(const MlpOptions& options);

  ModelCore& core() { return core_; }
  const ModelCore& core() const { return core_; }
  int64_t inputSize() const { return sizes_.front(); }
  int64_t outputSize() const { return sizes_.back(); }
  MlpLoss loss() const { return loss_; }

  // Eval mode (no dropout): N×in → N×out, CPU float32.
  torch::Tensor predict(const torch::Tensor& inputs);

  // Over all parameters.
  void setOptimizer(const OptimizerConfig& config);

  // targets: N×out float32 (MSE) or N int64 labels (cross-entropy; classWeights optional).
  float trainStep(const torch::Tensor& inputs, const torch::Tensor& targets, const torch::Tensor& classWeights);
  float evalLoss(const torch::Tensor& inputs, const torch::Tensor& targets, const torch::Tensor& classWeights);

 private:
  torch::Tensor lossOf(const torch::Tensor& outputs, const torch::Tensor& targets, const torch::Tensor& classWeights) const;

  std::vector<int64_t> sizes_;
  MlpLoss loss_;
  Mlp net_;
  ModelCore core_;
};

}  // namespace framelab
