"""Forward, loss and AdamW steps on the addon's GatedFusion layout (dropout 0) with MSE.

usage: gated_fusion_step.py SPEC.json INPUTS.f32 META.f32 MASK.f32 TARGETS.f32 N STEPS CONFIG.json OUT_DIR
SPEC.json: {"modalitySizes": [...], "metaSize", "width", "towerHidden", "headHidden", "seed", "towerNorm"?,
"headMask"?}; headHidden one width or a list. With towerNorm the towers are the lab's Linear → GELU →
LayerNorm; with headMask the head sees fused ‖ meta ‖ mask. torch
initialises the module (torch.manual_seed(seed)) and writes OUT_DIR/fusion_init.pth (the addon loads
it by name), fusion_before.f32 and fusion_gates.f32 (eval outputs and gates before training),
fusion_after.pth and fusion_predictions.f32 (eval outputs after the steps); prints the losses.
"""
import json
import os
import sys

import torch

from common import done, optimizer_from, read_f32, setup, write_f32


def block(a, hidden, b):
    return torch.nn.Sequential(torch.nn.Linear(a, hidden), torch.nn.GELU(), torch.nn.Dropout(0.0), torch.nn.Linear(hidden, b))


def norm_tower(a, width):
    return torch.nn.Sequential(torch.nn.Linear(a, width), torch.nn.GELU(), torch.nn.LayerNorm(width))


def head_block(a, hidden, b):
    layers, last = [], a
    for h in hidden:
        layers += [torch.nn.Linear(last, h), torch.nn.GELU(), torch.nn.Dropout(0.0)]
        last = h
    return torch.nn.Sequential(*layers, torch.nn.Linear(last, b))


class GatedFusion(torch.nn.Module):
    """The reference module: towers, a softmax gate over Linear(meta ‖ mask) with absent modalities at −inf, a head."""

    def __init__(self, sizes, meta, width, tower_hidden, head_hidden, tower_norm=False, head_mask=False):
        super().__init__()
        self.sizes = sizes
        self.head_mask = head_mask
        self.towers = torch.nn.ModuleList(norm_tower(s, width) if tower_norm else block(s, tower_hidden, width) for s in sizes)
        self.gate = torch.nn.Linear(meta + len(sizes), len(sizes))
        hidden = head_hidden if isinstance(head_hidden, list) else [head_hidden]
        self.head = head_block(width + meta + (len(sizes) if head_mask else 0), hidden, 1)

    def forward(self, x, meta, mask):
        outs = [tower(part) for tower, part in zip(self.towers, torch.split(x, self.sizes, dim=1))]
        logits = self.gate(torch.cat([meta, mask], 1)).masked_fill(mask == 0, float('-inf'))
        gates = torch.softmax(logits, 1)
        fused = (gates.unsqueeze(2) * torch.stack(outs, 1)).sum(1)
        context = torch.cat([fused, meta, mask] if self.head_mask else [fused, meta], 1)
        return self.head(context), gates


def main(spec_path, inputs_path, meta_path, mask_path, targets_path, n, steps, config_path, out_dir):
    setup()
    with open(spec_path) as f:
        spec = json.load(f)
    sizes, meta_size = spec['modalitySizes'], spec['metaSize']
    torch.manual_seed(spec['seed'])
    model = GatedFusion(sizes, meta_size, spec['width'], spec.get('towerHidden'), spec['headHidden'], spec.get('towerNorm', False), spec.get('headMask', False))
    torch.save(model.state_dict(), os.path.join(out_dir, 'fusion_init.pth'))
    with open(config_path) as f:
        optimizer = optimizer_from(json.load(f), model.parameters())
    x = read_f32(inputs_path, (n, sum(sizes)))
    meta = read_f32(meta_path, (n, meta_size))
    mask = read_f32(mask_path, (n, len(sizes)))
    targets = read_f32(targets_path, (n, 1))
    model.eval()
    with torch.no_grad():
        out, gates = model(x, meta, mask)
        write_f32(os.path.join(out_dir, 'fusion_before.f32'), out)
        write_f32(os.path.join(out_dir, 'fusion_gates.f32'), gates)
    losses = []
    model.train()
    for _ in range(steps):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x, meta, mask)[0], targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        write_f32(os.path.join(out_dir, 'fusion_predictions.f32'), model(x, meta, mask)[0])
    torch.save(model.state_dict(), os.path.join(out_dir, 'fusion_after.pth'))
    done({'losses': losses})


if __name__ == '__main__':
    a = sys.argv
    main(a[1], a[2], a[3], a[4], a[5], int(a[6]), int(a[7]), a[8], a[9])
