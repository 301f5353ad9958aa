import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, startProxy, writeFakeKeyFile, type Emulator, type GcsProxy } from '../test/sync/support/gcsServer';
import { expect, test, type ServerHandle } from './support/fixtures';

/**
 * Sync in the browser: the status is always visible (sidebar badge, a banner on every screen
 * while offline), the settings form with its connection test, and the conflicts list the lead
 * resolves. The server talks to the storage emulator through the precondition proxy (started
 * here; `framelab serve` inherits STORAGE_EMULATOR_HOST).
 */
test.use({ seed: { codingFrames: 2 } });

let emulator: Emulator;
let proxy: GcsProxy;
let keyDir: string;
let keyFile: string;

test.beforeAll(async () => {
  emulator = await startEmulator();
  proxy = await startProxy(emulator);
  process.env.STORAGE_EMULATOR_HOST = proxy.url;
  keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-e2e-key-'));
  keyFile = writeFakeKeyFile(keyDir);
});

test.afterAll(async () => {
  delete process.env.STORAGE_EMULATOR_HOST;
  await proxy?.close();
  await emulator?.stop();
  fs.rmSync(keyDir, { recursive: true, force: true });
});

test.beforeEach(() => {
  proxy.mode = 'ok';
});

async function call(server: ServerHandle, method: string, input: object = {}) {
  const response = await fetch(`${server.baseUrl}/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as { ok: boolean; value: never; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.value;
}

const bucketName = () => `lab-e2e-${crypto.randomBytes(4).toString('hex')}`;

test('sync status is always visible; settings with a connection test; offline is loud on every screen until a round succeeds', async ({
  page,
  server,
}) => {
  await page.goto(server.url);
  const badge = page.getByTestId('sync-badge');
  await expect(badge).toHaveAttribute('data-state', 'off');
  await expect(badge).toContainText('Sync off');

  await badge.click();
  await expect(page.getByRole('heading', { name: 'Sync', exact: true })).toBeVisible();
  const bucket = bucketName();
  await page.getByLabel('Bucket').fill(bucket);
  await page.getByLabel(/Service-account key file/).fill(keyFile);
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('sync-test-result')).toContainText('Connected: the bucket is there and writable');
  await expect(page.getByTestId('sync-test-result')).toContainText(`Credentials: key file ${keyFile}`);

  // The settings being edited are tested before they are saved: a missing key file is named.
  await page.getByLabel(/Service-account key file/).fill(path.join(keyDir, 'missing.json'));
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('sync-test-result')).toHaveAttribute('data-problem', 'no-credentials');
  await expect(page.getByTestId('sync-test-result')).toContainText('does not exist');
  await page.getByLabel(/Service-account key file/).fill(keyFile);

  proxy.mode = 'forbidden';
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('sync-test-result')).toHaveAttribute('data-problem', 'permission-denied');
  await expect(page.getByTestId('sync-test-result')).toContainText(`Permission denied on gs://${bucket}`);
  proxy.mode = 'bucket-missing';
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('sync-test-result')).toContainText(`The bucket "${bucket}" does not exist`);
  proxy.mode = 'ok';

  // Saving runs a round: an empty home and no object yet.
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(badge).toHaveAttribute('data-state', 'synced');
  await expect(page.getByTestId('sync-banner')).toHaveCount(0);

  // Code something, then lose the network: the round fails, loudly, on every screen.
  await call(server, 'coding.save', { coderId: 'coder_a', frameId: 'vid_0001_t001.0', codes: { pov: '2nd person', distance: 'Social' } });
  await expect
    .poll(async () => (await proxy.read(bucket, 'annotations.csv'))?.text ?? '')
    .toContain('vid_0001_t001.0,vid_0001,1.0,coder_a,2nd person,Social');
  proxy.mode = 'offline';
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(badge).toHaveAttribute('data-state', 'offline');
  await expect(badge).toContainText('Not synced since');
  await expect(page.getByTestId('sync-reason')).toContainText('Cannot reach the storage emulator');
  await expect(page.getByTestId('sync-source')).toContainText('the LOCAL copy');
  for (const area of ['Coding', 'Reliability', 'Annotations']) {
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: area, exact: true }).click();
    await expect(page.getByTestId('sync-banner')).toContainText('Not synced since');
    await expect(page.getByTestId('sync-banner')).toContainText('offline since');
  }

  // Back online: the next round reconciles and the banner goes.
  proxy.mode = 'ok';
  await badge.click();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(badge).toHaveAttribute('data-state', 'synced');
  await expect(page.getByTestId('sync-banner')).toHaveCount(0);
  await expect(page.getByTestId('sync-source')).toContainText('the bucket');
  await expect(page.getByTestId('sync-rounds')).toContainText('not synced: offline');
});

test('the lead sees a conflict (edited here and in the bucket) and resolves it', async ({ page, server }) => {
  const bucket = bucketName();
  await call(server, 'sync.settings.set', { bucket, keyFile, afterSave: false });
  await call(server, 'coding.save', { coderId: 'coder_a', frameId: 'vid_0001_t001.0', codes: { pov: '1st person', distance: 'Social' } });
  await call(server, 'sync.run');
  // An old script changes the code in the bucket (an older edit) while it is re-coded here.
  const remote = (await proxy.read(bucket, 'annotations.csv'))!.text.replace(
    /coder_a,1st person,Social,[^\r\n]*/,
    'coder_a,no person,Social,2020-01-01T00:00:00Z',
  );
  await proxy.write(bucket, 'annotations.csv', remote);
  await call(server, 'coding.save', { coderId: 'coder_a', frameId: 'vid_0001_t001.0', codes: { pov: '3rd person', distance: 'Social' } });
  const round = (await call(server, 'sync.run')) as { conflicts: unknown[] };
  expect(round.conflicts).toEqual([
    { frameId: 'vid_0001_t001.0', coder: 'coder_a', dimension: 'pov', local: '3rd person', remote: 'no person', applied: '3rd person' },
  ]);

  await page.goto(server.url);
  const badge = page.getByTestId('sync-badge');
  await expect(page.getByTestId('sync-badge-conflicts')).toHaveText('1 conflict');
  await badge.click();
  const row = page.getByTestId('sync-conflict');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('vid_0001_t001.0');
  await row.getByRole('button', { name: 'no person' }).click();
  await expect(page.getByTestId('sync-conflict')).toHaveCount(0);
  await expect(page.getByTestId('sync-badge-conflicts')).toHaveCount(0);
  // The lead's choice goes up at the next round.
  await expect.poll(async () => (await proxy.read(bucket, 'annotations.csv'))!.text).toContain('coder_a,no person,Social');
});
