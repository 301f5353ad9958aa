import { spawnSync } from 'node:child_process';

/**
 * Debian's Python is the reference oracle (torch, torchvision, sklearn, statsmodels, scipy).
 * Always /usr/bin/python3: another python3 earlier on PATH would not see Debian's packages.
 */
export const PYTHON = '/usr/bin/python3';

const probed = new Map<string, boolean>();

/** Whether `/usr/bin/python3 -c "import <modules>"` works (probed once per module list). */
export function pythonHas(...modules: string[]): boolean {
  const key = modules.join(',');
  if (!probed.has(key)) {
    const ok = spawnSync(PYTHON, ['-c', `import ${key}`], { stdio: 'ignore', timeout: 120_000 }).status === 0;
    probed.set(key, ok);
  }
  return probed.get(key)!;
}

/**
 * Runs a Python script (as -c) with arguments; throws with Python's stderr (failing the test).
 * Free of vitest, so the benchmarks can use it outside the test runner.
 */
export function runPython(script: string, args: string[] = [], timeoutMs = 120_000): string {
  const res = spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  if (res.status !== 0) throw new Error(`python failed (exit ${res.status ?? res.signal}):\n${res.stderr}`);
  return res.stdout;
}

/** Writes torchvision.models.resnet50(num_classes) with seeded weights (and non-trivial BN statistics) to `file`. */
export const SEEDED_RESNET50_PY = String.raw`
import sys, torch, torchvision
file, classes, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.manual_seed(seed)
net = torchvision.models.resnet50(num_classes=classes)
with torch.no_grad():
    for name, m in net.named_modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.1, 0.1); m.running_var.uniform_(0.5, 1.5)
            m.weight.uniform_(0.5, 1.5); m.bias.uniform_(-0.1, 0.1)
            m.num_batches_tracked.fill_(7)
sd = net.state_dict()
if len(sys.argv) > 4 and sys.argv[4] == 'dataparallel':
    sd = torch.nn.DataParallel(net).state_dict()
torch.save(sd, file)
`;

export function writeSeededResNet50(file: string, classes: number, seed: number, variant: 'plain' | 'dataparallel' = 'plain'): void {
  runPython(SEEDED_RESNET50_PY, [file, String(classes), String(seed), variant]);
}
