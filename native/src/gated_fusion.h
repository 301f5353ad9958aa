// The suite's gated-fusion regressor (docs/reference.md §5): one tower per modality, a softmax gate over
// the towers computed from the metadata features and the modality-present mask, a head on the
// fused vector and the metadata. Plain C++ (no Node-API): every method may run on a worker thread.
//
//   tower_m  = Linear(size_m → width) → GELU → LayerNorm(width)           (towerNorm: the lab's spec, §6.2)
//            | Linear(size_m → towerHidden) → GELU → Dropout → Linear(towerHidden → width)   (models saved before)
//   logits   = gate(meta ‖ mask)                          (Linear(metaSize + M → M))
//   logits_m = −inf where mask_m = 0                      (an absent modality gets weight exactly 0;
//   g        = softmax(logits)                             softmax renormalises over the present ones)
//   fused    = Σ_m g_m · tower_m
//   output   = head(fused ‖ meta [‖ mask with headMask]): per hidden width h: Linear → GELU → Dropout,
//              then Linear(last → 1)
//
// torch state-dict names (the Python oracle's nn.Sequential layout): towers.<m>.0.weight/bias and
// towers.<m>.2.weight/bias (LayerNorm) with towerNorm, towers.<m>.0/.3 without; gate.weight/bias;
// head.0, head.3, head.6, … (one Linear per hidden width, then the output).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "model_core.h"

namespace framelab {

struct GatedFusionOptions {
  std::vector<int64_t> modalitySizes;
  int64_t metaSize = 0;
  int64_t width = 256;
  int64_t towerHidden = 0;             // 0: width (without towerNorm only)
  std::vector<int64_t> headHidden;     // empty: {width / 2}
  bool towerNorm = false;              // towers Linear → GELU → LayerNorm (the lab's spec)
  bool headMask = false;               // the head also sees the modality-present mask (the lab's spec)
  double dropout = 0.0;
  int threads = 1;
  uint64_t seed = 0;
  std::string device = "auto";
};

struct GatedFusionImpl : torch::nn::Module {
  GatedFusionImpl(const GatedFusionOptions& options);
  // inputs n × Σ sizes (modality blocks in order), meta n × metaSize, mask n × M (1 present, 0 absent)
  // → (outputs n × 1, gates n × M).
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& inputs, const torch::Tensor& meta,
                                                  const torch::Tensor& mask);

  std::vector<int64_t> sizes;
  bool headMask = false;
  torch::nn::ModuleList towers{nullptr};
  torch::nn::Linear gate{nullptr};
  torch::nn::Sequential head{nullptr};
};
TORCH_MODULE(GatedFusion);

struct GatedFusionBatch {
  torch::Tensor inputs, meta, mask, targets;  // targets n × 1 (training/eval loss only)
};

class GatedFusionTrainer {
 public:
  explicit GatedFusionTrainer(const GatedFusionOptions& options);

  ModelCore& core() { return core_; }
  const ModelCore& core() const { return core_; }
  int64_t inputSize() const { return inputSize_; }
  int64_t metaSize() const { return metaSize_; }
  int64_t modalities() const { return static_cast<int64_t>(sizes_.size()); }
  const std::vector<int64_t>& modalitySizes() const { return sizes_; }

  // Eval mode: (outputs n × 1, gates n × M), CPU float32.
  std::pair<torch::Tensor, torch::Tensor> predict(const GatedFusionBatch& batch);
  void setOptimizer(const OptimizerConfig& config);
  // Training mode (dropout on), MSE, backward, optimiser step.
  float trainStep(const GatedFusionBatch& batch);
  float evalLoss(const GatedFusionBatch& batch);

 private:
  std::vector<int64_t> sizes_;
  int64_t inputSize_;
  int64_t metaSize_;
  GatedFusion net_;
  ModelCore core_;
};

// Every row needs at least one present modality (else the softmax has nothing to weigh);
// throws naming the first row without one and `operation`.
void checkFusionMask(const torch::Tensor& mask, const std::string& operation);

}  // namespace framelab
