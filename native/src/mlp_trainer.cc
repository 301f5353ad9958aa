#include "mlp_trainer.h"

#include <stdexcept>

#include "device.h"
#include "losses.h"

namespace framelab {

namespace {

Mlp buildMlp(const MlpOptions& options) {
  torch::manual_seed(options.seed);
  return Mlp(options.sizes, options.activation, options.dropout);
}

}  // namespace

MlpLoss parseMlpLoss(const std::string& name) {
  if (name == "mse") return MlpLoss::Mse;
  if (name == "cross_entropy") return MlpLoss::CrossEntropy;
  throw std::invalid_argument("MLP loss must be 'mse' or 'cross_entropy', got '" + name + "'");
}

MlpTrainer::MlpTrainer(const MlpOptions& options)
    : sizes_(options.sizes),
      loss_(options.loss),
      net_(buildMlp(options)),
      core_(net_.ptr(), chooseDevice(options.device), options.threads) {
  core_.useThreads();
  net_->to(core_.device());
  net_->eval();
}

torch::Tensor MlpTrainer::predict(const torch::Tensor& inputs) {
  core_.useThreads();
  core_.throwIfCancelled("MLP.predict");
  c10::InferenceMode inference;
  return toHostFloat(net_->forward(inputs.to(core_.device())));
}

void MlpTrainer::setOptimizer(const OptimizerConfig& config) { core_.setOptimizer(config, net_->parameters()); }

torch::Tensor MlpTrainer::lossOf(const torch::Tensor& outputs, const torch::Tensor& targets,
                                 const torch::Tensor& classWeights) const {
  const torch::Device device = core_.device();
  if (loss_ == MlpLoss::Mse) return meanSquaredError(outputs, targets.to(device));
  return crossEntropy(outputs, targets.to(device), classWeights.defined() ? classWeights.to(device) : classWeights);
}

float MlpTrainer::trainStep(const torch::Tensor& inputs, const torch::Tensor& targets, const torch::Tensor& classWeights) {
  const std::string op = "MLP.trainStep";
  core_.useThreads();
  core_.throwIfCancelled(op);
  const torch::Tensor x = inputs.to(core_.device());
  net_->train(true);
  try {
    const float loss = core_.optimizerStep(op, [&] { return lossOf(net_->forward(x), targets, classWeights); });
    net_->train(false);
    return loss;
  } catch (...) {
    net_->train(false);
    throw;
  }
}

float MlpTrainer::evalLoss(const torch::Tensor& inputs, const torch::Tensor& targets, const torch::Tensor& classWeights) {
  core_.useThreads();
  core_.throwIfCancelled("MLP.evalLoss");
  c10::InferenceMode inference;
  return lossOf(net_->forward(inputs.to(core_.device())), targets, classWeights).item<float>();
}

}  // namespace framelab
