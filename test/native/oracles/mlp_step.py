"""Optimiser steps on the addon's MLP layout (layers.<i> Linear, GELU between, no dropout) with MSE.

usage: mlp_step.py WEIGHTS.pth INPUTS.f32 TARGETS.f32 N STEPS CONFIG.json OUT_DIR
Writes OUT_DIR/mlp_after.pth and OUT_DIR/predictions.f32 (eval outputs after the steps); prints the losses.
"""
import json
import os
import sys

import torch

from common import done, optimizer_from, read_f32, setup, write_f32


class Mlp(torch.nn.Module):
    def __init__(self, sizes):
        super().__init__()
        self.layers = torch.nn.ModuleList(torch.nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = torch.nn.functional.gelu(x)
        return x


def main(weights, inputs_path, targets_path, n, steps, config_path, out_dir):
    setup()
    state = torch.load(weights)
    count = len(state) // 2
    sizes = [state['layers.0.weight'].shape[1]] + [state[f'layers.{i}.weight'].shape[0] for i in range(count)]
    model = Mlp(sizes)
    model.load_state_dict(state)
    with open(config_path) as f:
        optimizer = optimizer_from(json.load(f), model.parameters())
    inputs = read_f32(inputs_path, (n, sizes[0]))
    targets = read_f32(targets_path, (n, sizes[-1]))
    losses = []
    model.train()
    for _ in range(steps):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(inputs), targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        write_f32(os.path.join(out_dir, 'predictions.f32'), model(inputs))
    torch.save(model.state_dict(), os.path.join(out_dir, 'mlp_after.pth'))
    done({'losses': losses})


if __name__ == '__main__':
    a = sys.argv
    main(a[1], a[2], a[3], int(a[4]), int(a[5]), a[6], a[7])
