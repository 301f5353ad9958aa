"""Reference for one fine-tuning fold (test/finetune/job.test.ts): python3-torch's recipe on
cached layer-3 features.

usage: finetune_fold.py INPUT.json  → prints a JSON summary; writes the trained layer4/fc
tensors (float32, state_dict order) to input["out"].

From the base .pth (torchvision.models.resnet50), the frozen part is never run: training starts
at layer4 from the given features. layer4 (BatchNorm in training mode) and fc are trained with
Adam, weighted cross-entropy (inverse-frequency weights over the fold's training frames,
scikit-learn's "balanced" formula over the classes present, 0 for an absent class), in the
batch order given per epoch. The epoch loss is the mean of the batch losses weighted by batch
size. Then eval mode: softmax probabilities of the held-out frames.
"""
import json
import sys

import numpy as np
import torch
import torch.nn.functional as F
import torchvision

cfg = json.load(open(sys.argv[1]))
torch.set_num_threads(cfg['threads'])
classes, n, h, w = cfg['classes'], cfg['n'], cfg['height'], cfg['width']

net = torchvision.models.resnet50(num_classes=classes)
net.load_state_dict(torch.load(cfg['weights'], map_location='cpu'), strict=True)
features = torch.from_numpy(np.fromfile(cfg['features'], dtype='<f4').reshape(n, 1024, h, w))
labels = torch.tensor(cfg['labels'], dtype=torch.long)

train = cfg['train']
counts = np.bincount([cfg['labels'][i] for i in train], minlength=classes)
present = int((counts > 0).sum())
class_weights = torch.tensor(
    [len(train) / (present * c) if c > 0 else 0.0 for c in counts], dtype=torch.float32
)

net.eval()
net.layer4.train()
for p in net.parameters():
    p.requires_grad_(False)
trained = list(net.layer4.parameters()) + list(net.fc.parameters())
for p in trained:
    p.requires_grad_(True)
optimizer = torch.optim.Adam(trained, lr=cfg['lr'])


def head(x):
    return net.fc(torch.flatten(net.avgpool(net.layer4(x)), 1))


losses = []
for order in cfg['orders']:
    assert sorted(order) == sorted(train)
    total = 0.0
    for start in range(0, len(order), cfg['batchSize']):
        batch = order[start:start + cfg['batchSize']]
        optimizer.zero_grad()
        loss = F.cross_entropy(head(features[batch]), labels[batch], weight=class_weights)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(batch)
    losses.append(total / len(order))

net.eval()
with torch.no_grad():
    probs = F.softmax(head(features[cfg['test']]), dim=1)

index, floats, offset, counters = [], [], 0, {}
for name, tensor in net.state_dict().items():
    if not name.startswith(('layer4.', 'fc.')):
        continue
    if tensor.dtype == torch.int64:
        counters[name] = int(tensor.item())
        continue
    flat = tensor.detach().contiguous().view(-1).numpy().astype('<f4')
    index.append({'name': name, 'shape': list(tensor.shape), 'offset': offset, 'length': int(flat.size)})
    floats.append(flat)
    offset += int(flat.size)
np.concatenate(floats).tofile(cfg['out'])
print(json.dumps({
    'torch': torch.__version__,
    'classWeights': class_weights.tolist(),
    'losses': losses,
    'probs': probs.tolist(),
    'tensors': index,
    'counters': counters,
}))
