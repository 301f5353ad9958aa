#include "model_core.h"

#include <stdexcept>

#include <ATen/Parallel.h>

#include "errors.h"

namespace framelab {

ModelCore::ModelCore(std::shared_ptr<torch::nn::Module> module, torch::Device device, int threads)
    : module_(std::move(module)), device_(device), threads_(threads) {
  if (threads_ < 1) throw std::invalid_argument("threads must be a positive integer");
}

void ModelCore::useThreads() const {
  if (at::get_num_threads() != threads_) at::set_num_threads(threads_);
}

bool ModelCore::cancelRequested() const {
  const int32_t* flag = cancelFlag_.load();
  if (flag == nullptr) return false;
  // The flag lives in a SharedArrayBuffer that JavaScript writes with Atomics.store.
#if defined(_MSC_VER)
  return *reinterpret_cast<const volatile int32_t*>(flag) != 0;
#else
  return __atomic_load_n(flag, __ATOMIC_ACQUIRE) != 0;
#endif
}

void ModelCore::throwIfCancelled(const std::string& operation) const {
  if (cancelRequested()) throw Cancelled(operation);
}

void ModelCore::loadState(const std::vector<NamedTensor>& entries) { framelab::loadState(*module_, entries); }

std::vector<NamedTensor> ModelCore::state() const { return hostState(*module_); }

void ModelCore::setOptimizer(const OptimizerConfig& config, std::vector<torch::Tensor> params) {
  optimizer_ = makeOptimizer(config, std::move(params));
}

void ModelCore::setLearningRate(double lr) {
  if (!optimizer_) throw std::logic_error("setLearningRate: no optimiser yet; call setOptimizer first");
  framelab::setLearningRate(*optimizer_, lr);
}

float ModelCore::optimizerStep(const std::string& operation, const std::function<torch::Tensor()>& computeLoss) {
  if (!optimizer_) throw std::logic_error(operation + ": no optimiser yet; call setOptimizer first");
  optimizer_->zero_grad();
  torch::Tensor loss = computeLoss();
  loss.backward();
  if (cancelRequested()) {
    optimizer_->zero_grad();
    throw Cancelled(operation);
  }
  optimizer_->step();
  return loss.item<float>();
}

torch::Tensor toHostFloat(const torch::Tensor& tensor) {
  return tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
}

}  // namespace framelab
