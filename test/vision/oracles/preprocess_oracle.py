"""torchvision's evaluation transform on PIL images: the reference for src/main/core/vision/preprocess.ts.

Usage: /usr/bin/python3 preprocess_oracle.py SPEC.json
SPEC: {"images": [paths], "out": dir,
       "runs": [{"resize": int, "crop": int, "mean": [3], "std": [3], "interpolation": "bilinear" | ...}]}
For run r and image i, writes out/r.i.resized.u8 (the PIL image after Resize: RGB bytes,
row-major) and out/r.i.tensor.f32 (the final CHW float32 tensor, little-endian). Prints one
JSON line: {"sizes": [[[w, h] per image] per run]}.
"""
import json
import os
import sys

import numpy as np
import torch
from PIL import Image
from torchvision import transforms as T

spec = json.load(open(sys.argv[1]))
images = [Image.open(path).convert("RGB") for path in spec["images"]]
sizes = []
for r, run in enumerate(spec["runs"]):
    mode = T.InterpolationMode(run.get("interpolation", "bilinear"))
    resize = T.Resize(run["resize"], interpolation=mode)
    rest = T.Compose([T.CenterCrop(run["crop"]), T.ToTensor(), T.Normalize(run["mean"], run["std"])])
    run_sizes = []
    for i, img in enumerate(images):
        resized = resize(img)
        run_sizes.append([resized.width, resized.height])
        np.asarray(resized, dtype=np.uint8).tofile(os.path.join(spec["out"], f"{r}.{i}.resized.u8"))
        tensor = rest(resized)
        assert tensor.dtype == torch.float32
        tensor.numpy().astype("<f4").tofile(os.path.join(spec["out"], f"{r}.{i}.tensor.f32"))
    sizes.append(run_sizes)
print(json.dumps({"sizes": sizes}))
