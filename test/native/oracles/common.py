"""Shared helpers for the addon's Python oracles (run with Debian's /usr/bin/python3 and python3-torch).

Arrays travel as raw little-endian files: float32 (.f32) and int32 (.i32); state dicts as torch.save files.
"""
import json
import sys

import numpy as np
import torch


def read_f32(path, shape):
    return torch.from_numpy(np.fromfile(path, dtype='<f4').reshape(shape).copy())


def read_i32_as_long(path):
    return torch.from_numpy(np.fromfile(path, dtype='<i4').astype(np.int64))


def write_f32(path, tensor):
    tensor.detach().contiguous().numpy().astype('<f4').tofile(path)


def optimizer_from(config, params):
    """torch.optim optimiser from the addon's option names; absent options keep torch's defaults."""
    names = {'lr': 'lr', 'betas': 'betas', 'eps': 'eps', 'weightDecay': 'weight_decay',
             'momentum': 'momentum', 'dampening': 'dampening', 'nesterov': 'nesterov', 'amsgrad': 'amsgrad'}
    kwargs = {names[k]: (tuple(v) if k == 'betas' else v) for k, v in config.items() if k != 'kind'}
    kind = {'adam': torch.optim.Adam, 'adamw': torch.optim.AdamW, 'sgd': torch.optim.SGD}[config['kind']]
    return kind(params, **kwargs)


def setup(threads=2):
    torch.set_num_threads(threads)


def done(result):
    """The one line of JSON the test reads from stdout."""
    sys.stdout.write(json.dumps(result) + '\n')
