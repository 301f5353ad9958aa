"""One training epoch of the suite's concat MLP in torch: the given batch order, AdamW, MSE, no dropout.

usage: mlp_epoch.py WEIGHTS.pth X.f32 Y.f32 N ORDER.i32 BATCH XSTOP.f32 YSTOP.f64 NSTOP YMEAN CONFIG.json OUT_DIR
X: N × p fit rows; Y: their centred targets; ORDER: the epoch's positions; XSTOP/YSTOP: the
early-stopping rows and their (uncentred) targets. Writes OUT_DIR/mlp_epoch_after.pth; prints
{trainLoss (size-weighted mean batch loss), valRmse (on the stop rows, mean added back)}.
"""
import json
import os
import sys

import numpy as np
import torch

from common import done, optimizer_from, read_f32, setup
from mlp_step import Mlp


def main(weights, x_path, y_path, n, order_path, batch, xs_path, ys_path, n_stop, y_mean, config_path, out_dir):
    setup(1)
    state = torch.load(weights)
    count = len(state) // 2
    sizes = [state['layers.0.weight'].shape[1]] + [state[f'layers.{i}.weight'].shape[0] for i in range(count)]
    model = Mlp(sizes)
    model.load_state_dict(state)
    with open(config_path) as f:
        optimizer = optimizer_from(json.load(f), model.parameters())
    x = read_f32(x_path, (n, sizes[0]))
    y = read_f32(y_path, (n, 1))
    order = np.fromfile(order_path, dtype='<i4')
    model.train()
    loss_sum = 0.0
    for b in range(0, n, batch):
        idx = torch.from_numpy(order[b:b + batch].astype(np.int64))
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x[idx]), y[idx])
        loss.backward()
        optimizer.step()
        loss_sum += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        out = model(read_f32(xs_path, (n_stop, sizes[0]))).double().numpy().ravel()
    ys = np.fromfile(ys_path, dtype='<f8')
    val_rmse = float(np.sqrt(np.mean((out + y_mean - ys) ** 2)))
    torch.save(model.state_dict(), os.path.join(out_dir, 'mlp_epoch_after.pth'))
    done({'trainLoss': loss_sum / n, 'valRmse': val_rmse})


if __name__ == '__main__':
    a = sys.argv
    main(a[1], a[2], a[3], int(a[4]), a[5], int(a[6]), a[7], a[8], int(a[9]), float(a[10]), a[11], a[12])
