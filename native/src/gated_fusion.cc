#include "gated_fusion.h"

#include <limits>
#include <stdexcept>

#include "device.h"
#include "errors.h"
#include "losses.h"

namespace framelab {

namespace {

torch::nn::Sequential fusionBlock(int64_t in, int64_t hidden, int64_t out, double dropout) {
  return torch::nn::Sequential(torch::nn::Linear(in, hidden), torch::nn::GELU(), torch::nn::Dropout(dropout),
                               torch::nn::Linear(hidden, out));
}

// The lab's tower (spec §6.2): Linear → GELU → LayerNorm, tower dim = width.
torch::nn::Sequential normTower(int64_t in, int64_t width) {
  return torch::nn::Sequential(torch::nn::Linear(in, width), torch::nn::GELU(),
                               torch::nn::LayerNorm(torch::nn::LayerNormOptions({width})));
}

// Per hidden width: Linear → GELU → Dropout; then Linear(last → out).
torch::nn::Sequential headBlock(int64_t in, const std::vector<int64_t>& hidden, int64_t out, double dropout) {
  torch::nn::Sequential seq;
  int64_t last = in;
  for (const auto h : hidden) {
    seq->push_back(torch::nn::Linear(last, h));
    seq->push_back(torch::nn::GELU());
    seq->push_back(torch::nn::Dropout(dropout));
    last = h;
  }
  seq->push_back(torch::nn::Linear(last, out));
  return seq;
}

GatedFusionOptions checkedFusionOptions(GatedFusionOptions o) {
  if (o.modalitySizes.empty()) throw std::invalid_argument("GatedFusion needs at least one modality");
  for (const auto size : o.modalitySizes) {
    if (size < 1) throw std::invalid_argument("GatedFusion modalitySizes must be positive integers");
  }
  if (o.metaSize < 0) throw std::invalid_argument("GatedFusion metaSize must be >= 0");
  if (o.width < 1) throw std::invalid_argument("GatedFusion width must be a positive integer");
  if (o.towerHidden == 0) o.towerHidden = o.width;
  if (o.headHidden.empty()) o.headHidden = {std::max<int64_t>(1, o.width / 2)};
  if (o.towerHidden < 1) throw std::invalid_argument("GatedFusion towerHidden must be a positive integer");
  for (const auto h : o.headHidden) {
    if (h < 1) throw std::invalid_argument("GatedFusion headHidden must be positive integers");
  }
  if (!(o.dropout >= 0.0 && o.dropout < 1.0)) throw std::invalid_argument("GatedFusion dropout must be in [0, 1)");
  return o;
}

GatedFusion buildGatedFusion(const GatedFusionOptions& options) {
  torch::manual_seed(options.seed);
  return GatedFusion(options);
}

int64_t sumOf(const std::vector<int64_t>& sizes) {
  int64_t total = 0;
  for (const auto s : sizes) total += s;
  return total;
}

}  // namespace

void checkFusionMask(const torch::Tensor& mask, const std::string& operation) {
  const torch::Tensor present = (mask != 0).any(1);
  if (present.all().item<bool>()) return;
  const int64_t row = (~present).nonzero()[0][0].item<int64_t>();
  throw std::invalid_argument(operation + ": row " + std::to_string(row) +
                              " has no present modality (its mask is all 0); the gate needs at least one");
}

GatedFusionImpl::GatedFusionImpl(const GatedFusionOptions& options) : sizes(options.modalitySizes), headMask(options.headMask) {
  towers = register_module("towers", torch::nn::ModuleList());
  for (const auto size : sizes) {
    towers->push_back(options.towerNorm ? normTower(size, options.width)
                                        : fusionBlock(size, options.towerHidden, options.width, options.dropout));
  }
  const auto m = static_cast<int64_t>(sizes.size());
  gate = register_module("gate", torch::nn::Linear(options.metaSize + m, m));
  head = register_module("head", headBlock(options.width + options.metaSize + (headMask ? m : 0), options.headHidden, 1, options.dropout));
}

std::pair<torch::Tensor, torch::Tensor> GatedFusionImpl::forward(const torch::Tensor& inputs, const torch::Tensor& meta,
                                                                 const torch::Tensor& mask) {
  std::vector<torch::Tensor> outs;
  int64_t offset = 0;
  for (size_t m = 0; m < sizes.size(); ++m) {
    const torch::Tensor block = inputs.narrow(1, offset, sizes[m]);
    offset += sizes[m];
    outs.push_back(towers[m]->as<torch::nn::Sequential>()->forward(block));
  }
  const torch::Tensor stacked = torch::stack(outs, 1);  // n × M × width
  const torch::Tensor logits = gate->forward(torch::cat({meta, mask}, 1))
                                   .masked_fill(mask == 0, -std::numeric_limits<float>::infinity());
  const torch::Tensor gates = torch::softmax(logits, 1);
  const torch::Tensor fused = (gates.unsqueeze(2) * stacked).sum(1);
  const torch::Tensor context = headMask ? torch::cat({fused, meta, mask}, 1) : torch::cat({fused, meta}, 1);
  return {head->forward(context), gates};
}

GatedFusionTrainer::GatedFusionTrainer(const GatedFusionOptions& raw)
    : sizes_(checkedFusionOptions(raw).modalitySizes),
      inputSize_(sumOf(sizes_)),
      metaSize_(raw.metaSize),
      net_(buildGatedFusion(checkedFusionOptions(raw))),
      core_(net_.ptr(), chooseDevice(raw.device), raw.threads) {
  core_.useThreads();
  net_->to(core_.device());
  net_->eval();
}

std::pair<torch::Tensor, torch::Tensor> GatedFusionTrainer::predict(const GatedFusionBatch& b) {
  core_.useThreads();
  core_.throwIfCancelled("GatedFusion.predict");
  checkFusionMask(b.mask, "GatedFusion.predict");
  c10::InferenceMode inference;
  const torch::Device d = core_.device();
  auto [out, gates] = net_->forward(b.inputs.to(d), b.meta.to(d), b.mask.to(d));
  return {toHostFloat(out), toHostFloat(gates)};
}

void GatedFusionTrainer::setOptimizer(const OptimizerConfig& config) { core_.setOptimizer(config, net_->parameters()); }

float GatedFusionTrainer::trainStep(const GatedFusionBatch& b) {
  const std::string op = "GatedFusion.trainStep";
  core_.useThreads();
  core_.throwIfCancelled(op);
  checkFusionMask(b.mask, op);
  const torch::Device d = core_.device();
  const torch::Tensor inputs = b.inputs.to(d), meta = b.meta.to(d), mask = b.mask.to(d), targets = b.targets.to(d);
  net_->train(true);
  try {
    const float loss = core_.optimizerStep(op, [&] { return meanSquaredError(net_->forward(inputs, meta, mask).first, targets); });
    net_->train(false);
    return loss;
  } catch (...) {
    net_->train(false);
    throw;
  }
}

float GatedFusionTrainer::evalLoss(const GatedFusionBatch& b) {
  core_.useThreads();
  core_.throwIfCancelled("GatedFusion.evalLoss");
  checkFusionMask(b.mask, "GatedFusion.evalLoss");
  c10::InferenceMode inference;
  const torch::Device d = core_.device();
  return meanSquaredError(net_->forward(b.inputs.to(d), b.meta.to(d), b.mask.to(d)).first, b.targets.to(d)).item<float>();
}

}  // namespace framelab
