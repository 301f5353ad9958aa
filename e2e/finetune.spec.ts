import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, startServe, stopServe, test as base, type ServerHandle } from './support/fixtures';

/**
 * The Fine-tune area against `framelab serve`. One home is seeded per worker (a real small
 * gold set, pov@v7, and a finished 1-epoch fine-tune run by the real job process: ~1 min),
 * and each test gets its own copy of it and its own server.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Seeded {
  dir: string;
  snapshotId: string;
  runJobId: string;
}

const test = base.extend<{ home: string }, { seeded: Seeded }>({
  seeded: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern: none
    async ({}, use) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-e2e-finetune-seed-'));
      const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'e2e/support/seedFinetune.ts'), dir], {
        cwd: root,
        encoding: 'utf8',
        timeout: 240_000,
      });
      if (run.status !== 0) throw new Error(`seeding the fine-tune home failed: ${run.stderr}`);
      const out = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {
        snapshotId: string;
        run: { jobId: string; status: string; error: unknown };
      };
      if (out.run.status !== 'succeeded') throw new Error(`the seeded fine-tune ${out.run.status}: ${JSON.stringify(out.run.error)}`);
      await use({ dir, snapshotId: out.snapshotId, runJobId: out.run.jobId });
      fs.rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 240_000 },
  ],
  home: async ({ seeded }, use) => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-e2e-finetune-'));
    fs.cpSync(seeded.dir, home, { recursive: true });
    await use(home);
    fs.rmSync(home, { recursive: true, force: true });
  },
});

// One seeded home per worker: these run in order in one worker (a failure does not skip the rest).
test.describe.configure({ mode: 'default' });

const serve = (home: string, env?: NodeJS.ProcessEnv): Promise<ServerHandle> => startServe(home, { env });

async function openFinetune(page: Page, server: ServerHandle) {
  await page.goto(server.url);
  await page.keyboard.press('Control+Shift+F');
  await expect(page.getByRole('heading', { name: 'Fine-tune', exact: true })).toBeVisible();
}

async function call<T>(server: ServerHandle, method: string, input: unknown): Promise<T> {
  const res = await fetch(`${server.baseUrl}/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; value: T };
  expect(body.ok).toBe(true);
  return body.value;
}

test('the comparison page of a finished run: decision, metrics with interval and p, both confusion matrices, galleries', async ({
  page,
  home,
  seeded,
}) => {
  test.setTimeout(60_000);
  const server = await serve(home);
  try {
    type View = {
      result: { entry: { decision: { reason: string; save: boolean }; regressed: string[]; fixed: string[]; mcnemar: { p: number } } };
    };
    const view = await call<View>(server, 'finetune.run', { jobId: seeded.runJobId });
    const entry = view.result.entry;

    await openFinetune(page, server);
    const item = page.locator(`[data-testid="runs"] button[data-job-id="${seeded.runJobId}"]`);
    await expect(item).toContainText('pov@v7 → pov@v8');
    await expect(item).toContainText('succeeded');
    await item.click();

    const run = page.getByTestId('run-view');
    await expect(run.getByTestId('run-status')).toHaveText('succeeded');
    await expect(run.getByTestId('decision')).toContainText(entry.decision.reason);
    await expect(run.getByTestId('registration')).toHaveText(
      entry.decision.save
        ? 'pov@v8 was saved and registered in the model registry (not active yet: make it active on the Models screen).'
        : 'pov@v8 was not saved: pov@v7 stays the model for pov, and nothing was registered.',
    );

    const metrics = run.getByTestId('metrics');
    await expect(metrics.locator('tr[data-metric="accuracy"] td')).toHaveCount(4);
    await expect(metrics.locator('tr[data-metric="macro_f1"]')).toContainText('decides');
    await expect(metrics.locator('tr[data-metric="macro_f1"] td').nth(3)).toHaveText(
      /^\[(?:[−+]\d\.\d{3}|0\.000), (?:[−+]\d\.\d{3}|0\.000)\]$/,
    );
    await expect(metrics.getByTestId('mcnemar')).toContainText(`p = ${entry.mcnemar.p.toFixed(3)}`);
    await expect(metrics.getByTestId('mcnemar')).toContainText(`b = ${entry.regressed.length} regressed, c = ${entry.fixed.length} fixed`);
    await expect(run.getByTestId('per-class').locator('tbody tr')).toHaveCount(4);

    for (const which of ['confusion-v7', 'confusion-v8']) {
      const matrix = run.getByTestId(which);
      await expect(matrix).toBeVisible();
      await expect(matrix.locator('tbody tr')).toHaveCount(4);
    }

    // Frames v8 broke (and fixed), with their thumbnails served by the stored-files route.
    for (const [kind, ids] of [
      ['regressed', entry.regressed],
      ['fixed', entry.fixed],
    ] as const) {
      const gallery = run.getByTestId(kind);
      if (ids.length === 0) continue;
      await expect(gallery.getByTestId('frame')).toHaveCount(ids.length);
      const img = gallery.locator(`[data-frame-id="${ids[0]}"] img`);
      await expect(img).toBeVisible();
      await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
    }

    // Asked for both cross-validations: the other one is shown beside the deciding one.
    const other = run.getByTestId('also-video');
    await expect(other).toContainText('Leave-one-video-out says: v8');
    await expect(other.getByTestId('metrics-video')).toBeVisible();

    await run.getByText('Loss curves').click();
    await expect(run.getByTestId('loss-chart').locator('[data-series="fold"]')).toHaveCount(6 + 3);
  } finally {
    await stopServe(server);
  }
});

test('the form shows the lab recipe and starts a run that trains live in the run view; cancel and resume', async ({
  page,
  home,
  seeded,
}) => {
  test.setTimeout(90_000);
  const server = await serve(home);
  try {
    await openFinetune(page, server);
    // No run open: the form is what the area shows.
    const form = page.getByRole('form', { name: 'New fine-tune' });
    await expect(form.getByLabel('Base model')).toHaveValue('pov@v7');
    await expect(form.getByLabel('Gold snapshot')).toHaveValue(seeded.snapshotId);
    await expect(form.getByLabel('Optimizer')).toHaveValue('adam');
    await expect(form.getByLabel('Learning rate')).toHaveValue('0.00001');
    await expect(form.getByLabel('Batch size')).toHaveValue('8');
    await expect(form.getByLabel('Max epochs')).toHaveValue('15');
    await expect(form.getByLabel('Patience')).toHaveValue('3');
    await expect(form.getByLabel('Class weights')).toHaveValue('inverse_frequency');
    await expect(form.getByLabel('Cross-validation')).toHaveValue('loo');
    await expect(form.getByLabel('New version')).toHaveAttribute('placeholder', 'v8');

    await form.getByLabel('Max epochs').fill('3');
    await form.getByLabel('Patience').fill('3');
    await form.getByLabel('Threads').fill('2');
    await form.getByLabel('New version').fill('v9');
    await form.getByRole('button', { name: 'Start fine-tune' }).click();

    const run = page.getByTestId('run-view');
    await expect(run.getByRole('heading', { name: 'pov@v7 → pov@v9' })).toBeVisible();
    await expect(run.getByTestId('run-status')).toHaveText(/queued|running/);
    // Live: fold i of 6, epochs and the loss from the checkpoint, curves drawn (features come from the cache).
    await expect(run.getByTestId('live-fold')).toContainText(/of 6 \(leave-one-out\)/, { timeout: 60_000 });
    await expect(run.getByTestId('live-loss')).toHaveText(/^\d+\.\d{4}$/, { timeout: 60_000 });
    await expect(run.getByTestId('loss-chart')).toBeVisible();
    await expect(page.locator('[data-testid="runs"] button')).toHaveCount(2);

    await run.getByRole('button', { name: 'Cancel' }).click();
    await expect(run.getByTestId('run-status')).toHaveText('cancelled', { timeout: 20_000 });
    await expect(run.getByTestId('loss-chart')).toBeVisible();
    await run.getByRole('button', { name: 'Resume' }).click();
    await expect(run.getByTestId('run-status')).toHaveText(/queued|running/);
    await run.getByRole('button', { name: 'Cancel' }).click();
    await expect(run.getByTestId('run-status')).toHaveText('cancelled', { timeout: 20_000 });
  } finally {
    await stopServe(server);
  }
});

test('without the training addon, the run says what is missing and how to build it', async ({ page, home }) => {
  test.setTimeout(60_000);
  const server = await serve(home, { FRAMELAB_NATIVE_ADDON: path.join(home, 'no-such-addon', 'framelab_native.node') });
  try {
    await openFinetune(page, server);
    // No run open: the form is what the area shows.
    const form = page.getByRole('form', { name: 'New fine-tune' });
    await form.getByLabel('New version').fill('v9');
    await form.getByRole('button', { name: 'Start fine-tune' }).click();
    const run = page.getByTestId('run-view');
    await expect(run.getByTestId('run-status')).toHaveText('failed', { timeout: 30_000 });
    await expect(run.getByTestId('run-error')).toContainText('The training addon is not built');
    await expect(run.getByTestId('run-error')).toContainText('npm run build:native');
    await expect(run.getByRole('button', { name: 'Resume' })).toBeVisible();
  } finally {
    await stopServe(server);
  }
});
