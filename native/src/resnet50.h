// ResNet-50 with torchvision's layout, so its state-dict names are torchvision.models.resnet50's:
// conv1, bn1, layer1.0.conv1 … layer4.2.bn3, layerN.0.downsample.0/.1, fc (with BatchNorm buffers).
#pragma once

#include <torch/torch.h>

namespace framelab {

// torchvision.models.resnet.Bottleneck (expansion 4, stride on the 3×3 convolution).
struct BottleneckImpl : torch::nn::Module {
  BottleneckImpl(int64_t inplanes, int64_t planes, int64_t stride, bool withDownsample);
  torch::Tensor forward(torch::Tensor x);

  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
  torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr}, bn3{nullptr};
  torch::nn::Sequential downsample{nullptr};  // empty holder when the block keeps its shape
};
TORCH_MODULE(Bottleneck);

struct ResNet50Impl : torch::nn::Module {
  explicit ResNet50Impl(int64_t numClasses);

  // conv1 → bn1 → relu → maxpool: N×3×H×W → N×64×H/4×W/4.
  torch::Tensor stem(const torch::Tensor& images);
  // layer4 → global average pool → fc: N×1024×h×w layer-3 features → N×numClasses logits.
  torch::Tensor head(const torch::Tensor& features);
  torch::Tensor forward(const torch::Tensor& images);

  torch::nn::Conv2d conv1{nullptr};
  torch::nn::BatchNorm2d bn1{nullptr};
  torch::nn::Sequential layer1{nullptr}, layer2{nullptr}, layer3{nullptr}, layer4{nullptr};
  torch::nn::Linear fc{nullptr};
};
TORCH_MODULE(ResNet50);

// Channels of layer-3 output, the cached features the head trains on.
constexpr int64_t kResNet50FeatureChannels = 1024;

}  // namespace framelab
