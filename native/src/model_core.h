// What every trainable model in the addon shares: its module, device, intra-op thread count,
// optimiser, cancel flag, state I/O and the optimiser step itself.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "optimizer.h"
#include "state_dict.h"

namespace framelab {

class ModelCore {
 public:
  ModelCore(std::shared_ptr<torch::nn::Module> module, torch::Device device, int threads);

  const torch::Device& device() const { return device_; }
  int threads() const { return threads_; }

  // Applies this model's thread count to the calling thread. Torch's OpenMP thread count is a
  // per-thread setting, so every heavy call does this on the worker thread that runs it.
  void useThreads() const;

  // The cancel flag (an int32 in shared memory, or null). Read with acquire semantics.
  void setCancelFlag(const int32_t* flag) { cancelFlag_.store(flag); }
  bool cancelRequested() const;
  // Throws Cancelled("<operation>") when the flag is non-zero.
  void throwIfCancelled(const std::string& operation) const;

  void loadState(const std::vector<NamedTensor>& entries);
  // See hostState: copy the values out before the model runs again.
  std::vector<NamedTensor> state() const;

  // Replaces the optimiser (its state starts fresh) over `params`.
  void setOptimizer(const OptimizerConfig& config, std::vector<torch::Tensor> params);
  void setLearningRate(double lr);
  bool hasOptimizer() const { return optimizer_ != nullptr; }

  // One optimiser step: zero the gradients, compute the loss, backward, and (unless cancelled
  // meanwhile: Cancelled, parameters untouched) step. Returns the loss.
  float optimizerStep(const std::string& operation, const std::function<torch::Tensor()>& computeLoss);

 private:
  std::shared_ptr<torch::nn::Module> module_;
  torch::Device device_;
  int threads_;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  std::atomic<const int32_t*> cancelFlag_{nullptr};
};

// Tensors to host: a contiguous CPU float32 copy (for returning results to JavaScript).
torch::Tensor toHostFloat(const torch::Tensor& tensor);

}  // namespace framelab
