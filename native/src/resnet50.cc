#include "resnet50.h"

namespace framelab {

namespace {

constexpr int64_t kExpansion = 4;

torch::nn::Conv2d conv(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding).bias(false));
}

// torchvision's _make_layer: the first block changes width (and stride), the others keep it.
torch::nn::Sequential makeLayer(int64_t& inplanes, int64_t planes, int64_t blocks, int64_t stride) {
  torch::nn::Sequential layer;
  const bool downsample = stride != 1 || inplanes != planes * kExpansion;
  layer->push_back(Bottleneck(inplanes, planes, stride, downsample));
  inplanes = planes * kExpansion;
  for (int64_t i = 1; i < blocks; ++i) layer->push_back(Bottleneck(inplanes, planes, 1, false));
  return layer;
}

}  // namespace

BottleneckImpl::BottleneckImpl(int64_t inplanes, int64_t planes, int64_t stride, bool withDownsample) {
  // Registration order = torchvision's attribute order = state-dict order.
  conv1 = register_module("conv1", conv(inplanes, planes, 1, 1, 0));
  bn1 = register_module("bn1", torch::nn::BatchNorm2d(planes));
  conv2 = register_module("conv2", conv(planes, planes, 3, stride, 1));
  bn2 = register_module("bn2", torch::nn::BatchNorm2d(planes));
  conv3 = register_module("conv3", conv(planes, planes * kExpansion, 1, 1, 0));
  bn3 = register_module("bn3", torch::nn::BatchNorm2d(planes * kExpansion));
  if (withDownsample) {
    downsample = register_module(
        "downsample",
        torch::nn::Sequential(conv(inplanes, planes * kExpansion, 1, stride, 0), torch::nn::BatchNorm2d(planes * kExpansion)));
  }
}

torch::Tensor BottleneckImpl::forward(torch::Tensor x) {
  torch::Tensor identity = downsample ? downsample->forward(x) : x;
  torch::Tensor out = bn1(conv1(x)).relu_();
  out = bn2(conv2(out)).relu_();
  out = bn3(conv3(out));
  out += identity;
  return out.relu_();
}

ResNet50Impl::ResNet50Impl(int64_t numClasses) {
  int64_t inplanes = 64;
  conv1 = register_module("conv1", conv(3, 64, 7, 2, 3));
  bn1 = register_module("bn1", torch::nn::BatchNorm2d(64));
  layer1 = register_module("layer1", makeLayer(inplanes, 64, 3, 1));
  layer2 = register_module("layer2", makeLayer(inplanes, 128, 4, 2));
  layer3 = register_module("layer3", makeLayer(inplanes, 256, 6, 2));
  layer4 = register_module("layer4", makeLayer(inplanes, 512, 3, 2));
  fc = register_module("fc", torch::nn::Linear(512 * kExpansion, numClasses));

  // torchvision's initialisation (fc keeps nn.Linear's default).
  torch::NoGradGuard noGrad;
  for (auto& module : modules(/*include_self=*/false)) {
    if (auto* c = module->as<torch::nn::Conv2d>()) {
      torch::nn::init::kaiming_normal_(c->weight, 0.0, torch::kFanOut, torch::kReLU);
    } else if (auto* bn = module->as<torch::nn::BatchNorm2d>()) {
      torch::nn::init::ones_(bn->weight);
      torch::nn::init::zeros_(bn->bias);
    }
  }
}

torch::Tensor ResNet50Impl::stem(const torch::Tensor& images) {
  torch::Tensor x = bn1(conv1(images)).relu_();
  return torch::max_pool2d(x, /*kernel_size=*/3, /*stride=*/2, /*padding=*/1);
}

torch::Tensor ResNet50Impl::head(const torch::Tensor& features) {
  torch::Tensor x = layer4->forward(features);
  x = torch::adaptive_avg_pool2d(x, {1, 1});
  return fc(torch::flatten(x, 1));
}

torch::Tensor ResNet50Impl::forward(const torch::Tensor& images) {
  return head(layer3->forward(layer2->forward(layer1->forward(stem(images)))));
}

}  // namespace framelab
