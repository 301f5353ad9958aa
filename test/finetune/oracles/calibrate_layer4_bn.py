"""Gives a seeded test ResNet-50 what a trained model has: layer4 BatchNorm running statistics
that match its data (test/finetune/jobHome.ts).

usage: calibrate_layer4_bn.py WEIGHTS.pth CROP IMAGE...  → rewrites WEIGHTS.pth in place

The seeded weights' running statistics are random, so in eval mode layer4 normalises with
figures unrelated to the frames' activations, and a few fine-tuning steps (BatchNorm in
training mode, momentum 0.1) cannot bring them close: a fine-tuned model then predicts one
class whatever it learned. A real v7 was trained on such frames, so its statistics fit them.
Here layer4's statistics are set to the mean and variance of its inputs over the given images
(torchvision's evaluation transform at CROP px); every other tensor is kept as it is, so the
frozen layers, and the layer-3 features Framelab caches, do not change.
"""
import sys

import torch
import torchvision
from PIL import Image
from torchvision import transforms

weights, crop, images = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
torch.set_num_threads(2)
state = torch.load(weights, map_location='cpu')
classes = state['fc.weight'].shape[0]
net = torchvision.models.resnet50(num_classes=classes)
net.load_state_dict(state, strict=True)
net.eval()

transform = transforms.Compose([
    transforms.Resize(crop),
    transforms.CenterCrop(crop),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
x = torch.stack([transform(Image.open(f).convert('RGB')) for f in images])
with torch.no_grad():
    features = net.layer3(net.layer2(net.layer1(net.maxpool(net.relu(net.bn1(net.conv1(x)))))))
    norms = [m for m in net.layer4.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    tracked = [m.num_batches_tracked.clone() for m in norms]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # a cumulative average: after one batch, exactly its statistics
    net.layer4.train()
    net.layer4(features)
    for m, n in zip(norms, tracked):
        m.momentum = 0.1
        m.num_batches_tracked.copy_(n)
torch.save(net.state_dict(), weights)
