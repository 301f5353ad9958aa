"""Optimiser steps on layer4 + fc of torchvision's ResNet-50, as Framelab trains it.

usage: resnet50_step.py WEIGHTS.pth FEATURES.f32 LABELS.i32 CLASS_WEIGHTS.f32 N H W STEPS CONFIGS.json OUT_DIR

For each optimiser config (the addon's option names, e.g. {"kind": "adamw", "lr": 0.05}), starting
from WEIGHTS each time: conv1…layer3 frozen in eval mode, layer4 in training mode (BatchNorm
statistics update), fc; class-weighted cross-entropy on the cached layer-3 FEATURES; STEPS steps.
Writes OUT_DIR/step_<i>.pth (layer4.* and fc.* after the steps) and prints the losses.
"""
import json
import os
import sys

import torch
import torchvision

from common import done, optimizer_from, read_f32, read_i32_as_long, setup


def run(state, config, features, labels, class_weights, steps):
    model = torchvision.models.resnet50(num_classes=state['fc.weight'].shape[0])
    model.load_state_dict(state)
    model.eval()
    model.layer4.train()
    for name, p in model.named_parameters():
        p.requires_grad_(name.startswith(('layer4.', 'fc.')))
    params = list(model.layer4.parameters()) + list(model.fc.parameters())
    optimizer = optimizer_from(config, params)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        logits = model.fc(torch.flatten(model.avgpool(model.layer4(features)), 1))
        loss = torch.nn.functional.cross_entropy(logits, labels, weight=class_weights)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    trained = {k: v for k, v in model.state_dict().items() if k.startswith(('layer4.', 'fc.'))}
    return losses, trained


def main(weights, features_path, labels_path, class_weights_path, n, h, w, steps, configs_path, out_dir):
    setup()
    state = torch.load(weights)
    features = read_f32(features_path, (n, 1024, h, w))
    labels = read_i32_as_long(labels_path)
    class_weights = read_f32(class_weights_path, (state['fc.weight'].shape[0],))
    with open(configs_path) as f:
        configs = json.load(f)
    results = []
    for i, config in enumerate(configs):
        losses, trained = run(state, config, features, labels, class_weights, steps)
        torch.save(trained, os.path.join(out_dir, f'step_{i}.pth'))
        results.append({'losses': losses})
    done(results)


if __name__ == '__main__':
    a = sys.argv
    main(a[1], a[2], a[3], a[4], int(a[5]), int(a[6]), int(a[7]), int(a[8]), a[9], a[10])
