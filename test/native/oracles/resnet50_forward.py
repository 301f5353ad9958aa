"""torchvision ResNet-50 forward in eval mode: logits and layer-3 features.

usage: resnet50_forward.py WEIGHTS.pth IMAGES.f32 N H W OUT_DIR
writes OUT_DIR/logits.f32 (N×classes) and OUT_DIR/features.f32 (N×1024×h×w)
"""
import os
import sys

import torch
import torchvision

from common import done, read_f32, setup, write_f32


def main(weights, images_path, n, h, w, out_dir):
    setup()
    state = torch.load(weights)
    model = torchvision.models.resnet50(num_classes=state['fc.weight'].shape[0])
    model.load_state_dict(state)
    model.eval()
    images = read_f32(images_path, (n, 3, h, w))
    with torch.no_grad():
        x = model.maxpool(model.relu(model.bn1(model.conv1(images))))
        features = model.layer3(model.layer2(model.layer1(x)))
        logits = model(images)
    write_f32(os.path.join(out_dir, 'logits.f32'), logits)
    write_f32(os.path.join(out_dir, 'features.f32'), features)
    done({'logits': list(logits.shape), 'features': list(features.shape)})


if __name__ == '__main__':
    a = sys.argv
    main(a[1], a[2], int(a[3]), int(a[4]), int(a[5]), a[6])
