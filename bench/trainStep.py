"""Reference for bench/trainStep.ts: python3-torch's layer4 + fc training step on cached layer-3 features.

usage: trainStep.py THREADS BATCH WARMUP
Prints "ready" after WARMUP steps; then for each line "step" on stdin runs one step and prints its
time in ms, until stdin closes. (The benchmark alternates these steps with the addon's.)
The step is what the addon's ResNet50.trainStep does: layer4 in training mode, fc, cross-entropy
with class weights, backward, Adam.
"""
import sys
import time

import torch
import torchvision

threads, batch, warmup = (int(a) for a in sys.argv[1:4])
torch.set_num_threads(threads)
torch.manual_seed(0)
model = torchvision.models.resnet50(num_classes=4)
model.eval()
model.layer4.train()
for name, p in model.named_parameters():
    p.requires_grad_(name.startswith(('layer4.', 'fc.')))
optimizer = torch.optim.Adam(list(model.layer4.parameters()) + list(model.fc.parameters()), lr=1e-3)
features = torch.rand(batch, 1024, 14, 14)
labels = torch.randint(0, 4, (batch,))
class_weights = torch.tensor([1.0, 2.0, 0.5, 1.5])


def step():
    optimizer.zero_grad()
    logits = model.fc(torch.flatten(model.avgpool(model.layer4(features)), 1))
    loss = torch.nn.functional.cross_entropy(logits, labels, weight=class_weights)
    loss.backward()
    optimizer.step()
    return loss.item()


for _ in range(warmup):
    step()
print('ready', flush=True)
for line in sys.stdin:
    if line.strip() != 'step':
        continue
    start = time.perf_counter()
    step()
    print((time.perf_counter() - start) * 1000, flush=True)
