#include "optimizer.h"

#include <stdexcept>

namespace framelab {

namespace {

void check(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument("setOptimizer: " + message);
}

void validate(const OptimizerConfig& c) {
  check(c.lr.has_value() || c.kind != OptimizerKind::Sgd, "SGD needs a learning rate (lr); torch.optim.SGD has no default");
  check(!c.lr || *c.lr >= 0.0, "lr must be >= 0");
  check(c.eps >= 0.0, "eps must be >= 0");
  check(c.beta1 >= 0.0 && c.beta1 < 1.0, "betas[0] must be in [0, 1)");
  check(c.beta2 >= 0.0 && c.beta2 < 1.0, "betas[1] must be in [0, 1)");
  check(!c.weightDecay || *c.weightDecay >= 0.0, "weightDecay must be >= 0");
  check(c.momentum >= 0.0, "momentum must be >= 0");
  check(!c.nesterov || (c.momentum > 0.0 && c.dampening == 0.0), "nesterov needs momentum > 0 and dampening 0");
}

}  // namespace

OptimizerKind parseOptimizerKind(const std::string& name) {
  if (name == "adam") return OptimizerKind::Adam;
  if (name == "adamw") return OptimizerKind::AdamW;
  if (name == "sgd") return OptimizerKind::Sgd;
  throw std::invalid_argument("setOptimizer: kind must be 'adam', 'adamw' or 'sgd', got '" + name + "'");
}

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const OptimizerConfig& c, std::vector<torch::Tensor> params) {
  validate(c);
  if (params.empty()) throw std::invalid_argument("setOptimizer: the model has no trainable parameters");
  switch (c.kind) {
    case OptimizerKind::Adam: {
      torch::optim::AdamOptions options(c.lr.value_or(1e-3));
      options.betas({c.beta1, c.beta2}).eps(c.eps).weight_decay(c.weightDecay.value_or(0.0)).amsgrad(c.amsgrad);
      return std::make_unique<torch::optim::Adam>(std::move(params), options);
    }
    case OptimizerKind::AdamW: {
      torch::optim::AdamWOptions options(c.lr.value_or(1e-3));
      options.betas({c.beta1, c.beta2}).eps(c.eps).weight_decay(c.weightDecay.value_or(1e-2)).amsgrad(c.amsgrad);
      return std::make_unique<torch::optim::AdamW>(std::move(params), options);
    }
    case OptimizerKind::Sgd: {
      torch::optim::SGDOptions options(*c.lr);
      options.momentum(c.momentum).dampening(c.dampening).weight_decay(c.weightDecay.value_or(0.0)).nesterov(c.nesterov);
      return std::make_unique<torch::optim::SGD>(std::move(params), options);
    }
  }
  throw std::logic_error("unreachable optimiser kind");
}

void setLearningRate(torch::optim::Optimizer& optimizer, double lr) {
  if (!(lr >= 0.0)) throw std::invalid_argument("setLearningRate: lr must be >= 0");
  for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
}

}  // namespace framelab
