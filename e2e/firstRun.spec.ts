import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, startServe, stopServe, test } from './support/fixtures';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STEPS = ['import', 'sample', 'assign', 'code', 'reliability'];

test('an empty home opens on the checklist, nothing ticked, and each step opens its screen', async ({ page, server }) => {
  await page.goto(server.url);
  // Not the coding view: the start screen, on Workspace.
  await expect(page.getByRole('heading', { name: 'Workspace' })).toBeVisible();
  const checklist = page.getByTestId('start-checklist');
  await expect(checklist).toBeVisible();
  await expect(checklist).toContainText('0 of 5 done');
  for (const step of STEPS) await expect(checklist.locator(`li[data-step=${step}]`)).toHaveAttribute('data-done', 'false');

  const opens: [string, string][] = [
    ['Import videos', 'Videos'],
    ['Sample frames', 'Videos'],
    ['Add coders and assign', 'Coders'],
    ['Code', 'Coding'],
    ['Reliability', 'Reliability'],
  ];
  for (const [step, heading] of opens) {
    await page.keyboard.press('Control+7');
    await checklist.getByRole('button', { name: step, exact: true }).click();
    await expect(page.getByRole('heading', { name: heading, level: 1 }).first()).toBeVisible();
  }
  // The empty Reliability screen says what is missing, with links, and never spins.
  const missing = page.getByTestId('reliability-missing');
  await expect(missing).toContainText('No reliability report yet');
  await expect(page.getByText('Computing')).toHaveCount(0);
  await missing.getByRole('button', { name: 'Import videos' }).click();
  await expect(page.getByRole('heading', { name: 'Videos', level: 1 })).toBeVisible();
});

test('a step ticks itself when the home gets it', async ({ page, server }) => {
  await page.goto(server.url);
  const checklist = page.getByTestId('start-checklist');
  await expect(checklist.locator('li[data-step=assign]')).toHaveAttribute('data-done', 'false');
  // A coder added from the API (as the CLI or another window would): the detail follows.
  const res = await fetch(`${server.baseUrl}/api/coders.upsert`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify({ coderId: 'ana' }),
  });
  expect(res.ok).toBe(true);
  await expect(checklist.locator('li[data-step=assign]')).toContainText('1 coder; no frame assigned yet.');
});

test('`framelab demo` fills a home that opens with every screen populated', async ({ page }) => {
  test.setTimeout(400_000);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-e2e-demo-'));
  try {
    const demo = spawnSync(process.execPath, [path.join(root, 'bin/framelab.js'), 'demo', '--home', home], {
      cwd: root,
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(demo.status, demo.stderr).toBe(0);
    expect(demo.stdout).toContain(`Demo project made in ${home}`);
    expect(demo.stdout).toContain(`npx framelab serve --home ${home}`);
    const server = await startServe(home);
    try {
      await page.goto(server.url);
      // A home with work opens on Coding, as before; the checklist is done and out of the way.
      await expect(page.getByRole('heading', { name: 'Coding', level: 1 }).first()).toBeVisible();
      await page.keyboard.press('Control+7');
      await expect(page.getByTestId('home-path')).toHaveText(home);
      await expect(page.getByTestId('start-checklist')).toHaveCount(0);

      await page.keyboard.press('Control+4');
      await expect(page.getByRole('heading', { name: 'Reliability', level: 1 })).toBeVisible();
      await expect(page.getByTestId('coverage')).toBeVisible();
      await expect(page.getByTestId('pairs')).toContainText('ana × ben');
      await expect(page.getByTestId('reliability-missing')).toHaveCount(0);

      await page.keyboard.press('Control+5');
      await expect(page.getByText('demo_001').first()).toBeVisible();
      await page.keyboard.press('Control+2');
      // Scoped to the screen: the role menu in the header lists the coders too, as hidden options.
      await expect(page.getByRole('main').getByText('Ana (demo coder)').first()).toBeVisible();
    } finally {
      await stopServe(server);
    }
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});
