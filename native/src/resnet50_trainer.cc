#include "resnet50_trainer.h"

#include <stdexcept>

#include "device.h"
#include "errors.h"
#include "losses.h"

namespace framelab {

namespace {

// Puts a module in training mode for a scope, back to eval mode after (also on exceptions).
class TrainingModeScope {
 public:
  explicit TrainingModeScope(torch::nn::Module& module) : module_(module) { module_.train(true); }
  ~TrainingModeScope() { module_.train(false); }
  TrainingModeScope(const TrainingModeScope&) = delete;
  TrainingModeScope& operator=(const TrainingModeScope&) = delete;

 private:
  torch::nn::Module& module_;
};

void checkImages(const torch::Tensor& images, const char* operation) {
  if (images.dim() != 4 || images.size(1) != 3) {
    throw std::invalid_argument(std::string(operation) + ": images must be N×3×H×W, got " + shapeText(images.sizes()));
  }
}

void checkFeatures(const torch::Tensor& features, const char* operation) {
  if (features.dim() != 4 || features.size(1) != kResNet50FeatureChannels) {
    throw std::invalid_argument(std::string(operation) + ": features must be N×1024×h×w (layer-3 output), got " +
                                shapeText(features.sizes()));
  }
}

ResNet50 buildResNet(const ResNet50Options& options) {
  if (options.numClasses < 1) throw std::invalid_argument("ResNet50: numClasses must be a positive integer");
  torch::manual_seed(options.seed);
  return ResNet50(options.numClasses);
}

}  // namespace

ResNet50Trainer::ResNet50Trainer(const ResNet50Options& options)
    : numClasses_(options.numClasses),
      net_(buildResNet(options)),
      core_(net_.ptr(), chooseDevice(options.device), options.threads) {
  core_.useThreads();
  net_->to(core_.device());
  freezeBackbone();
  net_->eval();
}

void ResNet50Trainer::freezeBackbone() {
  for (auto& item : net_->named_parameters()) {
    const std::string& name = item.key();
    const bool trainable = name.rfind("layer4.", 0) == 0 || name.rfind("fc.", 0) == 0;
    item.value().set_requires_grad(trainable);
  }
}

std::vector<torch::Tensor> ResNet50Trainer::trainableParameters() const {
  std::vector<torch::Tensor> params = net_->layer4->parameters();
  for (auto& p : net_->fc->parameters()) params.push_back(p);
  return params;
}

torch::Tensor ResNet50Trainer::layer3Output(const torch::Tensor& images, const std::string& operation) {
  torch::Tensor x = net_->stem(images.to(core_.device()));
  for (auto* layer : {&net_->layer1, &net_->layer2, &net_->layer3}) {
    core_.throwIfCancelled(operation);
    x = (*layer)->forward(x);
  }
  return x;
}

torch::Tensor ResNet50Trainer::forward(const torch::Tensor& images) {
  const std::string op = "ResNet50.forward";
  checkImages(images, op.c_str());
  core_.useThreads();
  core_.throwIfCancelled(op);
  c10::InferenceMode inference;
  torch::Tensor feats = layer3Output(images, op);
  core_.throwIfCancelled(op);
  return toHostFloat(net_->head(feats));
}

torch::Tensor ResNet50Trainer::features(const torch::Tensor& images) {
  const std::string op = "ResNet50.features";
  checkImages(images, op.c_str());
  core_.useThreads();
  core_.throwIfCancelled(op);
  c10::InferenceMode inference;
  return toHostFloat(layer3Output(images, op));
}

torch::Tensor ResNet50Trainer::forwardFromFeatures(const torch::Tensor& features) {
  const std::string op = "ResNet50.forwardFromFeatures";
  checkFeatures(features, op.c_str());
  core_.useThreads();
  core_.throwIfCancelled(op);
  c10::InferenceMode inference;
  return toHostFloat(net_->head(features.to(core_.device())));
}

void ResNet50Trainer::setOptimizer(const OptimizerConfig& config) { core_.setOptimizer(config, trainableParameters()); }

float ResNet50Trainer::trainStep(const torch::Tensor& features, const torch::Tensor& labels,
                                 const torch::Tensor& classWeights) {
  const std::string op = "ResNet50.trainStep";
  checkFeatures(features, op.c_str());
  core_.useThreads();
  core_.throwIfCancelled(op);
  const torch::Device device = core_.device();
  const torch::Tensor x = features.to(device);
  const torch::Tensor y = labels.to(device);
  const torch::Tensor w = classWeights.defined() ? classWeights.to(device) : classWeights;

  // layer4's BatchNorm statistics move during the forward pass; a failed or cancelled step puts
  // them back, so the model is as it was.
  std::vector<torch::Tensor> buffers = net_->layer4->buffers();
  std::vector<torch::Tensor> saved;
  for (const auto& b : buffers) saved.push_back(b.clone());

  TrainingModeScope training(*net_->layer4);
  try {
    return core_.optimizerStep(op, [&] { return crossEntropy(net_->head(x), y, w); });
  } catch (...) {
    torch::NoGradGuard noGrad;
    for (size_t i = 0; i < buffers.size(); ++i) buffers[i].copy_(saved[i]);
    throw;
  }
}

float ResNet50Trainer::evalLoss(const torch::Tensor& features, const torch::Tensor& labels,
                                const torch::Tensor& classWeights) {
  const std::string op = "ResNet50.evalLoss";
  checkFeatures(features, op.c_str());
  core_.useThreads();
  core_.throwIfCancelled(op);
  c10::InferenceMode inference;
  const torch::Device device = core_.device();
  const torch::Tensor w = classWeights.defined() ? classWeights.to(device) : classWeights;
  return crossEntropy(net_->head(features.to(device)), labels.to(device), w).item<float>();
}

}  // namespace framelab
