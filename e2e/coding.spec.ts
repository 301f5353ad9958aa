import type { Page } from '@playwright/test';
import { expect, startServe, stopServe, test, type ServerHandle } from './support/fixtures';

/**
 * Two coders code the same overlap frames blind, with the keyboard only. The server is killed
 * with SIGKILL halfway and restarted: every code the UI acknowledged (its done count) is still there.
 */
test.use({ seed: { codingFrames: 8 } });

async function openAs(page: Page, url: string, coderId: string) {
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Coding' })).toBeVisible();
  await page.getByLabel('Coder').selectOption(coderId);
  await expect(page.getByTestId('frame-id')).toBeVisible();
}

async function codeFrame(page: Page, keys: string[], done: number, total: number) {
  const before = await page.getByTestId('frame-id').textContent();
  for (const key of keys) await page.keyboard.press(key);
  // Acknowledged: the counter moved (it counts a frame only once the core committed its save; the
  // next frame may paint before that) and the next frame is on screen.
  await expect(page.getByTestId('coding-counter')).toHaveText(`${done} / ${total} done`);
  await expect(page.getByTestId('frame-id')).not.toHaveText(before!);
  return before!;
}

async function codesOf(server: ServerHandle, coderId: string) {
  const response = await fetch(`${server.baseUrl}/api/coding.queue`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ coderId, filter: 'all' }),
  });
  const body = (await response.json()) as { value: { frames: { frameId: string; codes: Record<string, string> }[] } };
  return Object.fromEntries(body.value.frames.filter((f) => Object.keys(f.codes).length).map((f) => [f.frameId, f.codes]));
}

test('two coders code an overlap set blind with the keyboard; a SIGKILL loses no acknowledged code', async ({ browser, server }) => {
  test.setTimeout(90_000);
  const a = await (await browser.newContext()).newPage();
  const b = await (await browser.newContext()).newPage();
  await openAs(a, server.url, 'coder_a');
  await openAs(b, server.url, 'coder_b');
  await expect(a.getByTestId('coding-counter')).toHaveText('0 / 8 done');

  // Coder A: 1st person / Intimate, 3rd person / Social, no person / Public.
  const a1 = await codeFrame(a, ['1', 'a'], 1, 8);
  const a2 = await codeFrame(a, ['3', 'd'], 2, 8);
  const a3 = await codeFrame(a, ['4', 'f'], 3, 8);

  // Blind: coder B sees the same first frame with nothing marked.
  await expect(b.getByTestId('frame-id')).toHaveText(a1);
  await expect(b.locator('.category.saved')).toHaveCount(0);
  const b1 = await codeFrame(b, ['2', 's'], 1, 8);

  // A half-coded frame is a draft: one key alone saves nothing.
  await b.keyboard.press('3');
  await expect(b.locator('.category.draft')).toHaveCount(1);

  // Undo brings A's last frame back, as a new history entry; A codes it again differently.
  await a.keyboard.press('z');
  await expect(a.getByTestId('coding-counter')).toHaveText('2 / 8 done');
  await a.getByRole('tab', { name: 'All' }).click();
  await expect(a.getByTestId('frame-id')).toHaveText(a3);
  await a.keyboard.press('4');
  await a.keyboard.press('d');
  await expect(a.getByTestId('coding-counter')).toHaveText('3 / 8 done');

  // The server dies without warning.
  server.process.kill('SIGKILL');
  await new Promise((resolve) => server.process.once('exit', resolve));
  const restarted = await startServe(server.home);
  try {
    expect(await codesOf(restarted, 'coder_a')).toEqual({
      [a1]: { pov: '1st person', distance: 'Intimate' },
      [a2]: { pov: '3rd person', distance: 'Social' },
      [a3]: { pov: 'no person', distance: 'Social' },
    });
    // B's draft was never saved; B's acknowledged frame is there.
    expect(await codesOf(restarted, 'coder_b')).toEqual({ [b1]: { pov: '2nd person', distance: 'Personal' } });

    await openAs(b, restarted.url, 'coder_b');
    await expect(b.getByTestId('coding-counter')).toHaveText('1 / 8 done');
    await codeFrame(b, ['1', 'a'], 2, 8);
    expect(Object.keys(await codesOf(restarted, 'coder_b'))).toHaveLength(2);
  } finally {
    await stopServe(restarted);
  }
});
