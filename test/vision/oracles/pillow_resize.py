"""Pillow's Image.resize on raw RGB frames: the reference for the image addon (native/src/image).

Usage: /usr/bin/python3 pillow_resize.py SPEC.json
SPEC: {"cases": [{"src": path, "width": w, "height": h, "outWidth": W, "outHeight": H,
                  "filter": "bilinear" | "bicubic" | "box" | "hamming" | "lanczos", "out": path}]}
Each case reads width × height × 3 bytes from src (row-major RGB) and writes the resized
image's bytes to out. Only python3-pil is needed (torchvision calls exactly this resize).
"""
import json
import sys

from PIL import Image

R = getattr(Image, "Resampling", Image)
FILTERS = {"box": R.BOX, "bilinear": R.BILINEAR, "hamming": R.HAMMING, "bicubic": R.BICUBIC, "lanczos": R.LANCZOS}

spec = json.load(open(sys.argv[1]))
for case in spec["cases"]:
    with open(case["src"], "rb") as f:
        img = Image.frombytes("RGB", (case["width"], case["height"]), f.read())
    resized = img.resize((case["outWidth"], case["outHeight"]), FILTERS[case["filter"]])
    with open(case["out"], "wb") as f:
        f.write(resized.tobytes())
print(json.dumps({"pillow": Image.__version__, "cases": len(spec["cases"])}))
