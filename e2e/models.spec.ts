import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, startServe, stopServe, test } from './support/fixtures';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A seeded torchvision ResNet-50 (4 classes) saved by torch, and one PNG to predict. */
const MAKE_PY = String.raw`
import sys, torch, torchvision
from PIL import Image
out = sys.argv[1]
torch.manual_seed(4)
torch.save(torchvision.models.resnet50(num_classes=4).state_dict(), out + '/pov_resnet50_v7.pth')
Image.new('RGB', (120, 90), (200, 40, 40)).save(out + '/frame.png')
`;

const CLASSES = '1st person, 2nd person, 3rd person, no person';

test('the lead imports v7 weights, imports a v8, makes it active and predicts an image', async ({ page, server }) => {
  test.setTimeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-e2e-models-'));
  const made = spawnSync('/usr/bin/python3', ['-c', MAKE_PY, dir], { encoding: 'utf8' });
  expect(made.status, made.stderr).toBe(0);
  const weights = path.join(dir, 'pov_resnet50_v7.pth');

  await page.goto(server.url);
  await page.keyboard.press('Control+9');
  await expect(page.getByRole('heading', { name: 'Models' })).toBeVisible();
  await expect(page.getByText('No models yet')).toBeVisible();

  const importModel = async (version: string) => {
    await page.getByLabel('Weights file').fill(weights);
    await page.getByLabel('Dimension').fill('pov');
    await page.getByLabel('Version').fill(version);
    await page.getByLabel('Classes').fill(CLASSES);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
  };
  await importModel('v7');
  const v7 = page.locator('tr[data-model="pov@v7"]');
  await expect(v7).toContainText('1st person, 2nd person, 3rd person, no person', { timeout: 60_000 });
  await expect(v7.getByText('active')).toBeVisible();

  // A second version does not take over until the lead says so.
  await importModel('v8');
  const v8 = page.locator('tr[data-model="pov@v8"]');
  await expect(v8.getByRole('button', { name: 'Make active' })).toBeVisible({ timeout: 60_000 });
  await v8.getByRole('button', { name: 'Make active' }).click();
  await expect(v8.getByText('active')).toBeVisible();
  await expect(v7.getByRole('button', { name: 'Make active' })).toBeVisible();

  // The same version twice is refused with the reason, and the registry is unchanged.
  await importModel('v8');
  await page.keyboard.press('Control+8');
  await expect(page.getByText('pov@v8 already exists').first()).toBeVisible({ timeout: 60_000 });
  await page.keyboard.press('Control+9');
  await expect(page.locator('tr[data-model]')).toHaveCount(2);

  await page.getByLabel('Model', { exact: true }).selectOption('pov@v8');
  await page.getByLabel('Images').fill(path.join(dir, 'frame.png'));
  await page.getByRole('button', { name: 'Predict' }).click();
  const predictions = page.getByRole('table', { name: 'Predictions' });
  await expect(predictions).toContainText('frame.png', { timeout: 60_000 });
  await expect(predictions.locator('tbody tr')).toHaveCount(1);
  await expect(predictions).toContainText(/(1st|2nd|3rd|no) person/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a registry row made by a fine-tune links to that run's view; an imported one has no link", async ({ page }) => {
  test.setTimeout(300_000);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-e2e-models-lineage-'));
  const tsx = (script: string, ...args: string[]) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, script), ...args], {
      cwd: root,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  };
  const seeded = tsx('e2e/support/seedFinetune.ts', home) as { run: { jobId: string; status: string } };
  expect(seeded.run.status).toBe('succeeded');
  const jobId = seeded.run.jobId;
  expect(tsx('e2e/support/seedTrainedModel.ts', home, jobId)).toEqual({ id: 'pov@v8', source: `job:${jobId}` });

  const server = await startServe(home);
  try {
    await page.goto(server.url);
    await page.keyboard.press('Control+9');
    await expect(page.getByRole('heading', { name: 'Models' })).toBeVisible();
    await expect(page.locator('tr[data-model="pov@v7"]').getByTestId('source-run')).toHaveCount(0);
    const link = page.locator('tr[data-model="pov@v8"]').getByTestId('source-run');
    await expect(link).toHaveText(`Fine-tune run ${jobId.slice(0, 8)}`);
    await link.click();
    const run = page.getByTestId('run-view');
    await expect(run).toHaveAttribute('data-job-id', jobId);
    await expect(run).toHaveAttribute('data-status', 'succeeded');
  } finally {
    await stopServe(server);
    fs.rmSync(home, { recursive: true, force: true });
  }
});
