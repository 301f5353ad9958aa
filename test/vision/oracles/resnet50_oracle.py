"""torchvision ResNet-50 (eval) with seeded weights: the reference for the ONNX export.

Usage: /usr/bin/python3 resnet50_oracle.py OUT_DIR NUM_CLASSES SEED THREADS
Writes to OUT_DIR (float32 little-endian, row-major):
  weights.pth      torch.save(model.state_dict())
  input.f32        [3, 3, 224, 224] seeded normal input
  logits.f32       model(input)                       [3, C]
  features.f32     conv1 … layer3 of input[:2]        [2, 1024, 14, 14]
  input_rect.f32   [1, 3, 160, 224] (a non-square image)
  logits_rect.f32  model(input_rect)                  [1, C]
BatchNorm parameters and running statistics are randomised too: freshly initialised ones
(weight 1, bias 0, mean 0, var 1) would let a graph that skips or misplaces BatchNorm pass.
Nothing is downloaded.
"""
import os
import sys

import torch
import torchvision

out, num_classes, seed, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(threads)
torch.manual_seed(seed)
model = torchvision.models.resnet50(num_classes=num_classes)
with torch.no_grad():
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.weight.uniform_(0.5, 1.5)
            m.bias.normal_(0, 0.1)
            m.running_mean.normal_(0, 0.1)
            m.running_var.uniform_(0.5, 2.0)
            m.num_batches_tracked.fill_(1000)
model.eval()
torch.save(model.state_dict(), os.path.join(out, "weights.pth"))


def save(name, tensor):
    tensor.detach().contiguous().numpy().astype("<f4").tofile(os.path.join(out, name))


def features(x):
    x = model.maxpool(model.relu(model.bn1(model.conv1(x))))
    return model.layer3(model.layer2(model.layer1(x)))


with torch.no_grad():
    x = torch.randn(3, 3, 224, 224)
    save("input.f32", x)
    save("logits.f32", model(x))
    save("features.f32", features(x[:2]))
    rect = torch.randn(1, 3, 160, 224)
    save("input_rect.f32", rect)
    save("logits_rect.f32", model(rect))
