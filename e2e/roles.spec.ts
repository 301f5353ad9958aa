import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type ServerHandle } from './support/fixtures';

/**
 * Roles (issue 20, item 3): the window is opened as the lead or as a coder, remembered on the
 * machine. A coder sees Coding and their own progress only — not Reliability, not the gallery,
 * not which frames are overlap frames. The lead sees everything and is recorded as the one who
 * decided an adjudication and who changed the codebook.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLE = path.join(root, 'test/annotations/fixtures/annotations_sample.csv');

async function call<T>(server: ServerHandle, method: string, input: unknown = {}): Promise<T> {
  const response = await fetch(`${server.baseUrl}/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  expect(response.status, `${method}: ${await response.clone().text()}`).toBe(200);
  return ((await response.json()) as { value: T }).value;
}

test.describe('a coder window', () => {
  test.use({ seed: { codingFrames: 4 } });

  test("choosing a coder opens the coder role: Coding only, no overlap marks, the lead's keys closed; remembered; Lead from the role menu", async ({
    page,
    server,
  }) => {
    const nav = page.getByRole('navigation', { name: 'Areas' }).getByRole('list');
    await page.goto(server.url);
    // An install that never chose a role opens as the lead: every area, the overlap marked.
    await expect(nav.getByRole('button', { name: 'Reliability' })).toBeVisible();
    await expect(page.getByTestId('role-menu')).toHaveValue('lead');

    await page.getByLabel('Coder').selectOption('coder_a');
    await expect(page.getByTestId('frame-id')).toBeVisible();
    await expect(page.getByTestId('role-menu')).toHaveValue('coder:coder_a');
    await expect(nav.getByRole('button')).toHaveText(['Coding']);
    await expect(page.locator('.frame-caption')).not.toContainText('overlap');
    await expect(page.getByTestId('coding-counter')).toHaveText('0 / 4 done');

    // The lead's areas stay closed, with the reason; the key sheet lists only what works here.
    await page.keyboard.press('Control+4');
    await expect(page.getByRole('heading', { name: 'Coding' })).toBeVisible();
    await expect(page.getByRole('alert')).toContainText("That area is the lead's");
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keys' });
    await expect(sheet).toContainText('Coding');
    await expect(sheet).not.toContainText('Reliability');
    await page.keyboard.press('Escape');

    // Coding still works with the keyboard, as this coder.
    await page.keyboard.press('1');
    await page.keyboard.press('a');
    await expect(page.getByTestId('coding-counter')).toHaveText('1 / 4 done');

    // Remembered on this machine.
    await page.reload();
    await expect(page.getByTestId('role-menu')).toHaveValue('coder:coder_a');
    await expect(nav.getByRole('button')).toHaveText(['Coding']);
    await expect(page.getByLabel('Coder')).toHaveValue('coder_a');

    // Back to the lead from the menu: everything again, overlap marked.
    await page.getByTestId('role-menu').selectOption('lead');
    await expect(nav.getByRole('button', { name: 'Reliability' })).toBeVisible();
    await expect(page.locator('.frame-caption')).toContainText('overlap');
    await page.keyboard.press('Control+4');
    await expect(page.getByRole('heading', { name: 'Reliability' })).toBeVisible();
  });
});

test('a named lead is recorded as decided_by on an adjudication and as the author of a codebook change', async ({ page, server }) => {
  test.setTimeout(60_000);
  await call(server, 'annotations.import', { file: SAMPLE });
  await call(server, 'coders.upsert', { coderId: 'kim', name: 'Kim', role: 'lead' });
  await page.goto(server.url);
  await page.getByTestId('role-menu').selectOption('lead:kim');
  await expect(page.getByTestId('role-menu')).toHaveValue('lead:kim');

  await page.keyboard.press('Control+4');
  const first = page.getByTestId('disagreement').first();
  await first.getByRole('button', { name: /^coder_a:/ }).click();
  await expect(first.getByTestId('decision')).toContainText('decided by kim');
  const { disagreements } = await call<{ disagreements: { adjudicated: { decidedBy: string | null } | null }[] }>(
    server,
    'gold.disagreements',
    { dimension: 'pov' },
  );
  expect(disagreements.filter((d) => d.adjudicated).map((d) => d.adjudicated!.decidedBy)).toEqual(['kim']);

  await page.keyboard.press('Control+3');
  const pov = page.getByTestId('codebook-pov');
  const row = pov.locator('li').nth(0);
  await row.getByLabel('Category', { exact: true }).fill('first person');
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(pov.locator('li').nth(0).getByLabel('Category', { exact: true })).toHaveValue('first person');
  const { versions } = await call<{ versions: { change: string; author: string | null }[] }>(server, 'codebook.history');
  expect(versions[0]).toMatchObject({ author: 'kim' });
  expect(versions[0]!.change).toContain('first person');
});
