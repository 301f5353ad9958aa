import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModel } from '../../src/main/core/vision/weights/safetensors';
import { readPth } from '../../src/main/core/vision/weights/pth';
import { runCleanup, runCli, singleJsonLine, tempDir } from '../helpers';
import { pythonHas, runPython, writeSeededResNet50 } from '../helpers/python';

const haveTorchvision = pythonHas('torch', 'torchvision');
const CLASSES = '1st person,2nd person,3rd person,no person';

/** torch.load(a) and torch.load(b) hold the same keys, in order, with equal tensors. */
const SAME_STATE_PY = String.raw`
import sys, torch
a = torch.load(sys.argv[1]); b = torch.load(sys.argv[2])
strip = lambda d: {k[len('module.'):] if k.startswith('module.') else k: v for k, v in d.items()}
a, b = strip(a), strip(b)
assert list(a.keys()) == list(b.keys())
for k in a:
    assert a[k].dtype == b[k].dtype and a[k].shape == b[k].shape and torch.equal(a[k], b[k]), k
import torchvision
net = torchvision.models.resnet50(num_classes=int(sys.argv[3]))
net.load_state_dict(b, strict=True)
print('OK', len(a))
`;

/** Images with structure (gradients, shapes, noise) at odd sizes, and torchvision's probabilities for them. */
const TORCHVISION_PREDICT_PY = String.raw`
import json, sys, torch, torchvision
from PIL import Image, ImageDraw
import numpy as np
weights, out = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(5)
files = []
for i, (w, h) in enumerate([(320, 240), (241, 389), (500, 281)]):
    y, x = np.mgrid[0:h, 0:w]
    img = np.stack([(x * (i + 1)) % 256, (y * 2) % 256, rng.integers(0, 256, (h, w))], -1).astype(np.uint8)
    im = Image.fromarray(img); d = ImageDraw.Draw(im); d.ellipse([w // 4, h // 4, w // 2, h // 2], fill=(250, 30 * i, 10))
    f = f'{out}/img{i}.png'; im.save(f); files.append(f)
sd = torch.load(weights); sd = {k[len('module.'):] if k.startswith('module.') else k: v for k, v in sd.items()}
net = torchvision.models.resnet50(num_classes=4); net.load_state_dict(sd); net.eval()
t = torchvision.transforms
tf = t.Compose([t.Resize(256), t.CenterCrop(224), t.ToTensor(), t.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
with torch.no_grad():
    x = torch.stack([tf(Image.open(f).convert('RGB')) for f in files])
    p = torch.softmax(net(x), 1)
print(json.dumps({'files': files, 'probs': p.tolist()}))
`;

async function cli(home: string, ...args: string[]) {
  const res = await runCli(['--home', home, '--json', ...args], { timeoutMs: 60_000 });
  return { ...res, json: res.code === 0 ? singleJsonLine(res.stdout) : JSON.parse(res.stderr.trim().split('\n').pop()!) };
}

describe.skipIf(!haveTorchvision)(
  'model registry: import, list, activate, export (needs /usr/bin/python3 with torch + torchvision)',
  () => {
    let dir: string;
    let home: string;
    let v7: string;

    beforeAll(() => {
      dir = tempDir('models');
      home = tempDir('home');
      v7 = path.join(dir, 'pov_resnet50_v7.pth');
      writeSeededResNet50(v7, 4, 7, 'dataparallel');
    }, 120_000);
    afterAll(runCleanup);

    it('imports a torch .pth (DataParallel prefixes removed) as the active pov@v7 and lists it', async () => {
      const res = await cli(home, 'models', 'import', v7, '--dimension', 'pov', '--version', 'v7', '--classes', CLASSES);
      expect(res.code, res.stderr).toBe(0);
      const model = res.json.model;
      expect(model).toMatchObject({
        id: 'pov@v7',
        dimension: 'pov',
        version: 'v7',
        architecture: 'resnet50',
        active: true,
        parentId: null,
      });
      expect(model.classes).toEqual(CLASSES.split(','));
      expect(res.json.notes.join(' ')).toContain('module.');
      // Canonical copy: safetensors whose sha matches the registry, tensors equal to the .pth's.
      const stored = readModel(path.join(home, 'files', model.weightsPath));
      expect(stored.sidecar.sha256).toBe(model.sha256);
      const original = readPth(v7);
      expect([...stored.tensors.keys()]).toEqual([...original.keys()]);
      expect(stored.tensors.get('layer4.2.conv3.weight')!.data).toEqual(original.get('layer4.2.conv3.weight')!.data);

      const list = await cli(home, 'models', 'list');
      expect(list.json.models.map((m: { id: string; active: boolean }) => [m.id, m.active])).toEqual([['pov@v7', true]]);
    }, 120_000);

    it('predicts the classes and probabilities torchvision gives for the same images', async () => {
      const ref = JSON.parse(runPython(TORCHVISION_PREDICT_PY, [v7, dir])) as { files: string[]; probs: number[][] };
      const res = await cli(home, 'models', 'predict', '--model', 'pov@v7', ...ref.files, '--batch', '2');
      expect(res.code, res.stderr).toBe(0);
      const classes = CLASSES.split(',');
      expect(res.json.predictions.map((p: { image: string }) => p.image)).toEqual(ref.files);
      res.json.predictions.forEach((p: { class: string; confidence: number; probabilities: Record<string, number> }, i: number) => {
        const expected = ref.probs[i]!;
        classes.forEach((c, k) => expect(Math.abs(p.probabilities[c]! - expected[k]!), `${ref.files[i]} ${c}`).toBeLessThan(2e-3));
        expect(p.class).toBe(classes[expected.indexOf(Math.max(...expected))]);
        expect(p.confidence).toBeCloseTo(Math.max(...expected), 2);
      });
      const gone = await cli(home, 'models', 'predict', '--model', 'pov@v7', path.join(dir, 'missing.png'));
      expect(gone.json.error.message).toContain('missing.png');
    }, 180_000);

    it('refuses an existing version, a wrong class count (naming fc.weight) and an unknown dimension, changing nothing', async () => {
      const again = await cli(home, 'models', 'import', v7, '--dimension', 'pov', '--version', 'v7', '--classes', CLASSES);
      expect(again.code).not.toBe(0);
      expect(again.json.error.code).toBe('CONFLICT');
      expect(again.json.error.message).toContain('pov@v7 already exists');

      const wrong = await cli(home, 'models', 'import', v7, '--dimension', 'pov', '--version', 'v9', '--classes', 'a,b,c');
      expect(wrong.json.error.code).toBe('INVALID_INPUT');
      expect(wrong.json.error.message).toMatch(/shape mismatch for "fc\.weight": expected \[3, 2048\], got \[4, 2048\]/);

      const dim = await cli(home, 'models', 'import', v7, '--dimension', 'gaze', '--version', 'v1', '--classes', CLASSES);
      expect(dim.json.error.message).toContain('"gaze" is not in the codebook');

      const missing = await cli(
        home,
        'models',
        'import',
        path.join(dir, 'nope.pth'),
        '--dimension',
        'pov',
        '--version',
        'v9',
        '--classes',
        CLASSES,
      );
      expect(missing.json.error.message).toContain('nope.pth does not exist');

      const list = await cli(home, 'models', 'list');
      expect(list.json.models.map((m: { id: string }) => m.id)).toEqual(['pov@v7']);
    }, 180_000);

    it('exports back to a .pth that torch loads equal to the original, and to safetensors and ONNX', async () => {
      const out = path.join(dir, 'export.pth');
      const res = await cli(home, 'models', 'export', '--model', 'pov@v7', '--format', 'pth', '--out', out);
      expect(res.code, res.stderr).toBe(0);
      expect(res.json).toMatchObject({ model: 'pov@v7', format: 'pth', out });
      expect(runPython(SAME_STATE_PY, [v7, out, '4'])).toContain('OK 320');

      const st = path.join(dir, 'export.safetensors');
      expect((await cli(home, 'models', 'export', '--model', 'pov@v7', '--format', 'safetensors', '--out', st)).code).toBe(0);
      expect(readModel(st).sidecar.classes).toEqual(CLASSES.split(','));

      const onnx = path.join(dir, 'features.onnx');
      const res3 = await cli(home, 'models', 'export', '--model', 'pov@v7', '--format', 'onnx', '--part', 'features', '--out', onnx);
      expect(res3.code, res3.stderr).toBe(0);
      expect(fs.statSync(onnx).size).toBe(res3.json.bytes);

      const bad = await cli(home, 'models', 'export', '--model', 'pov@v7', '--format', 'pth', '--out', path.join(dir, 'x.onnx'));
      expect(bad.json.error.message).toContain('must end in .pth');
      // The file written above is not replaced without --overwrite (refused when the job starts), and is with it.
      const again = await cli(home, 'models', 'export', '--model', 'pov@v7', '--format', 'pth', '--out', out);
      expect(again.json.error).toMatchObject({
        code: 'CONFLICT',
        message: `${out} exists; pass overwrite (CLI: --overwrite) to replace it.`,
      });
      expect((await cli(home, 'models', 'export', '--model', 'pov@v7', '--format', 'pth', '--out', out, '--overwrite')).code).toBe(0);
      const unknown = await cli(home, 'models', 'export', '--model', 'pov@v1', '--format', 'pth', '--out', path.join(dir, 'unknown.pth'));
      expect(unknown.json.error).toMatchObject({ code: 'NOT_FOUND' });
      expect(unknown.json.error.message).toContain('Known models: pov@v7');
    }, 180_000);

    it('registers a child version with lineage without taking over, then activates it', async () => {
      const st = path.join(dir, 'export.safetensors');
      const res = await cli(
        home,
        'models',
        'import',
        st,
        '--dimension',
        'pov',
        '--version',
        'v8',
        '--classes',
        CLASSES,
        '--parent',
        'pov@v7',
      );
      expect(res.code, res.stderr).toBe(0);
      expect(res.json.model).toMatchObject({ id: 'pov@v8', parentId: 'pov@v7', active: false });
      const act = await cli(home, 'models', 'activate', 'pov@v8');
      expect(act.json.model.active).toBe(true);
      const list = await cli(home, 'models', 'list', '--dimension', 'pov');
      expect(list.json.models.map((m: { id: string; active: boolean }) => [m.id, m.active])).toEqual([
        ['pov@v7', false],
        ['pov@v8', true],
      ]);
    }, 120_000);
  },
);
