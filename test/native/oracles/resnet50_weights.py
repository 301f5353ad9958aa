"""Seeded torchvision ResNet-50 weights with realistic BatchNorm statistics, saved as a state dict.

usage: resnet50_weights.py OUT.pth SEED NUM_CLASSES

Nothing downloads: the weights are torchvision's own initialisation under torch.manual_seed(SEED),
then every BatchNorm gets random affine parameters and running statistics measured on one random
batch (so eval-mode activations stay in a sane range and the buffers are not the trivial 0/1).
"""
import sys

import torch
import torchvision

from common import done, setup


def main(out, seed, num_classes):
    setup()
    torch.manual_seed(seed)
    model = torchvision.models.resnet50(num_classes=num_classes)
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    with torch.no_grad():
        for bn in bns:
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.normal_(0.0, 0.1)
            bn.momentum = None  # cumulative average: running stats = this batch's stats
        model.train()
        model(torch.randn(4, 3, 64, 64))
        for bn in bns:
            bn.momentum = 0.1
            bn.num_batches_tracked.fill_(int(torch.randint(1, 1000, ()).item()))
        model.fc.weight.normal_(0.0, 0.05)
    torch.save(model.state_dict(), out)
    done({'keys': len(model.state_dict())})


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
