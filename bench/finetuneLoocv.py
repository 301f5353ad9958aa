"""Reference for bench/finetuneLoocv.ts: LOOCV fine-tuning epochs the lab's way, in python3-torch.

usage: finetuneLoocv.py INPUT.json  → prints one JSON line

INPUT: images (n × 3 × H × W float32, already preprocessed: the lab preloads its gold frames once),
weights (.pth), labels, folds [{train, test}], orders (per fold, per epoch: the training frames in
batch order), classWeights (per fold), batchSize, lr, threads, modes (["recompute", "cached"]).

Both modes run the same recipe (layer4 + fc trained, layer4's BatchNorm in training mode, Adam,
weighted cross-entropy, batch order given):
- "recompute": the lab's way, conv1 … layer3 run on every batch of every epoch;
- "cached": the layer-3 outputs computed once (timed apart), every epoch starts at layer4.
Each epoch's time runs from the fold's start (weights reset, fresh optimiser) or the previous
epoch's end to its own end. One untimed warm-up step per mode comes first.
"""
import json
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
import torchvision

cfg = json.load(open(sys.argv[1]))
torch.set_num_threads(cfg['threads'])
classes = len(cfg['classWeights'][0])
images = torch.from_numpy(np.fromfile(cfg['images'], dtype='<f4').reshape(len(cfg['labels']), 3, cfg['height'], cfg['width']))
labels = torch.tensor(cfg['labels'], dtype=torch.long)
base = torch.load(cfg['weights'], map_location='cpu')
net = torchvision.models.resnet50(num_classes=classes)
net.load_state_dict(base, strict=True)


def frozen(x):
    with torch.no_grad():
        return net.layer3(net.layer2(net.layer1(net.maxpool(net.relu(net.bn1(net.conv1(x)))))))


def head(f):
    return net.fc(torch.flatten(net.avgpool(net.layer4(f)), 1))


def start_fold():
    net.load_state_dict(base, strict=True)
    net.eval()
    net.layer4.train()
    for p in net.parameters():
        p.requires_grad_(False)
    trained = list(net.layer4.parameters()) + list(net.fc.parameters())
    for p in trained:
        p.requires_grad_(True)
    return torch.optim.Adam(trained, lr=cfg['lr'])


def step(optimizer, features, batch, weights):
    optimizer.zero_grad()
    loss = F.cross_entropy(head(features), labels[batch], weight=weights)
    loss.backward()
    optimizer.step()
    return loss.item()


out = {'torch': torch.__version__}
for mode in cfg['modes']:
    cached = None
    feature_seconds = None
    if mode == 'cached':
        start = time.perf_counter()
        cached = torch.cat([frozen(images[i:i + cfg['batchSize']]) for i in range(0, len(images), cfg['batchSize'])])
        feature_seconds = time.perf_counter() - start

    def features_of(batch):
        return cached[batch] if cached is not None else frozen(images[batch])

    # Warm-up: one step, untimed.
    first = cfg['orders'][0][0][:cfg['batchSize']]
    step(start_fold(), features_of(first), first, torch.tensor(cfg['classWeights'][0], dtype=torch.float32))

    epoch_seconds, folds = [], []
    for k, fold in enumerate(cfg['folds']):
        weights = torch.tensor(cfg['classWeights'][k], dtype=torch.float32)
        last = time.perf_counter()
        optimizer = start_fold()
        losses = []
        for order in cfg['orders'][k]:
            total = 0.0
            for s in range(0, len(order), cfg['batchSize']):
                batch = order[s:s + cfg['batchSize']]
                total += step(optimizer, features_of(batch), batch, weights) * len(batch)
            losses.append(total / len(order))
            now = time.perf_counter()
            epoch_seconds.append(now - last)
            last = now
        net.eval()
        with torch.no_grad():
            probs = F.softmax(head(features_of(fold['test'])), dim=1)
        folds.append({'losses': losses, 'probs': probs.tolist()})
    out[mode] = {'epochSeconds': epoch_seconds, 'featureSeconds': feature_seconds, 'folds': folds}
print(json.dumps(out))
