// ResNet-50 fine-tuning as Framelab does it: conv1…layer3 frozen (eval mode, no gradients), so
// their output (layer-3 features) is computed once per frame; layer4 + fc train on those features.
// Plain C++ (no Node-API): every method may run on a worker thread.
#pragma once

#include <cstdint>
#include <string>

#include <torch/torch.h>

#include "model_core.h"
#include "resnet50.h"

namespace framelab {

struct ResNet50Options {
  int64_t numClasses = 0;
  int threads = 1;
  uint64_t seed = 0;
  std::string device = "auto";
};

class ResNet50Trainer {
 public:
  explicit ResNet50Trainer(const ResNet50Options& options);

  ModelCore& core() { return core_; }
  const ModelCore& core() const { return core_; }
  int64_t numClasses() const { return numClasses_; }

  // Eval mode throughout. Inputs are CPU float32 tensors; results are CPU float32 tensors.
  torch::Tensor forward(const torch::Tensor& images);              // N×3×H×W → N×classes
  torch::Tensor features(const torch::Tensor& images);             // N×3×H×W → N×1024×h×w
  torch::Tensor forwardFromFeatures(const torch::Tensor& features);  // N×1024×h×w → N×classes

  // The optimiser covers layer4.* and fc.* only.
  void setOptimizer(const OptimizerConfig& config);

  // One step on cached features: layer4's BatchNorm in training mode (running statistics update),
  // cross-entropy (weighted mean when classWeights is defined), backward, optimiser step.
  float trainStep(const torch::Tensor& features, const torch::Tensor& labels, const torch::Tensor& classWeights);
  // The same loss in eval mode, without any update.
  float evalLoss(const torch::Tensor& features, const torch::Tensor& labels, const torch::Tensor& classWeights);

 private:
  torch::Tensor layer3Output(const torch::Tensor& images, const std::string& operation);
  std::vector<torch::Tensor> trainableParameters() const;
  void freezeBackbone();

  int64_t numClasses_;
  ResNet50 net_;
  ModelCore core_;
};

}  // namespace framelab
