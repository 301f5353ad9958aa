import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';

/**
 * The coding loop's feedback as a coder meets it: the tab counts follow each save and flag, a
 * note is not a doubt, the end of a tab leads to the next uncoded frame (or says all are
 * coded), and the lead sees each coder's progress on Coders.
 */
test.use({ seed: { codingFrames: 3, recodeFrames: 1 }, viewport: { width: 1400, height: 900 } });

const frameId = (n: number) => `vid_0001_t${n.toFixed(1).padStart(5, '0')}`;

async function openAsCoderA(page: Page, url: string) {
  await page.goto(url);
  await page.getByLabel('Coder').selectOption('coder_a');
  await expect(page.getByTestId('frame-id')).toHaveText(frameId(1));
}

test('the Flagged and Re-code counts follow U and saves; a note does not mark the frame unsure', async ({ page, server }) => {
  await openAsCoderA(page, server.url);
  const flagged = page.getByRole('tab', { name: /^Flagged/ });
  const recode = page.getByRole('tab', { name: /^Re-code/ });
  const unsure = page.getByRole('button', { name: /unsure/i });
  await expect(flagged).toHaveText('Flagged (0)');
  await expect(recode).toHaveText('Re-code (1)');

  await page.keyboard.press('u');
  await expect(flagged).toHaveText('Flagged (1)');
  await expect(unsure).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('u');
  await expect(flagged).toHaveText('Flagged (0)');
  await expect(unsure).toHaveAttribute('aria-pressed', 'false');

  // N: a note, kept with Enter; the frame stays not unsure, the count stays 0.
  await page.keyboard.press('n');
  await page.keyboard.type('glare on the lens');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('frame-note')).toHaveText('“glare on the lens”');
  await expect(unsure).toHaveAttribute('aria-pressed', 'false');
  await expect(flagged).toHaveText('Flagged (0)');
  // U on a frame with a note keeps the note.
  await page.keyboard.press('u');
  await expect(flagged).toHaveText('Flagged (1)');
  await expect(page.getByTestId('frame-note')).toHaveText('“glare on the lens”');

  // Saving the re-code frame takes it off the Re-code count; the flag stays.
  await page.keyboard.press('1');
  await page.keyboard.press('a');
  await expect(page.getByTestId('coding-counter')).toHaveText('1 / 3 done');
  await expect(recode).toHaveText('Re-code (0)');
  await expect(flagged).toHaveText('Flagged (1)');

  // As the core has it, after a reload.
  await page.reload();
  await expect(recode).toHaveText('Re-code (0)');
  await expect(flagged).toHaveText('Flagged (1)');
});

test("the end of a tab leads to the next uncoded frame, then says all are coded; Coders shows each coder's progress", async ({
  page,
  server,
}) => {
  await openAsCoderA(page, server.url);
  const status = page.getByTestId('coding-status');

  // The Re-code tab holds one frame: once it is saved, the view goes on to the uncoded frames.
  await page.getByRole('tab', { name: /^Re-code/ }).click();
  // Keys pressed before the tab's frame is on screen would code the previous tab's frame.
  await expect(page.getByRole('tab', { name: /^Re-code/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('frame-id')).toBeVisible();
  await page.keyboard.press('1');
  await page.keyboard.press('a');
  await expect(status).toHaveText('That was the last frame of Re-code: here is the next uncoded frame.');
  await expect(page.getByRole('tab', { name: 'Uncoded' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('frame-id')).toHaveText(frameId(2));

  // Skip frame 2, code frame 3 (the tab's last): back to frame 2, the one left uncoded.
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('frame-id')).toHaveText(frameId(3));
  await expect(status).toBeHidden();
  await page.keyboard.press('3');
  await page.keyboard.press('d');
  await expect(page.getByTestId('frame-id')).toHaveText(frameId(2));
  await expect(status).toHaveText('That was the last frame of Uncoded: here is the next uncoded frame.');
  await page.keyboard.press('2');
  await page.keyboard.press('s');
  await expect(page.getByTestId('coding-empty')).toHaveText('All 3 of your assigned frames are coded. Nice work: the All tab shows them.');
  await expect(page.getByTestId('coding-counter')).toHaveText('3 / 3 done');

  // The lead's view of the same work (picking a coder opened the coder role: the menu switches back).
  await page.getByTestId('role-menu').selectOption('lead');
  await page.keyboard.press('Control+2');
  await expect(page.getByTestId('progress-coder_a')).toContainText('3 / 3 (100 %)');
  await expect(page.getByTestId('progress-coder_b')).toContainText('0 / 3 (0 %)');
  await page.screenshot({ path: '/tmp/coding-coders-progress.png' });
});

test('the next frame paints while the save is in flight; a save that fails brings the frame back with its codes as a draft', async ({
  page,
  server,
}) => {
  await openAsCoderA(page, server.url);
  // Hold the first save until the test lets it go: the next frame must already be on screen.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let saves = 0;
  await page.route('**/api/coding.save', async (route) => {
    saves++;
    if (saves === 1) {
      await held;
      await route.continue();
    } else if (saves === 2) {
      await route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: 'the disk is full' } }),
      });
    } else await route.continue();
  });

  await page.keyboard.press('1');
  await page.keyboard.press('a');
  await expect(page.getByTestId('frame-id')).toHaveText(frameId(2));
  // Not claimed as saved while the core has not committed it: the view says it is saving.
  await expect(page.getByTestId('coding-saving')).toHaveText('Saving the last frame…');
  await expect(page.getByTestId('coding-counter')).toHaveText('0 / 3 done');
  release();
  await expect(page.getByTestId('coding-saving')).toBeHidden();
  await expect(page.getByTestId('coding-counter')).toHaveText('1 / 3 done');

  // The second save fails: back to frame 2, its choices as the draft, and why.
  await page.keyboard.press('2');
  await page.keyboard.press('s');
  await expect(page.getByTestId('frame-id')).toHaveText(frameId(2));
  await expect(page.getByText(`${frameId(2)} was not saved: the disk is full.`)).toBeVisible();
  await expect(page.locator('fieldset.dimension button.category.draft')).toHaveCount(2);
  await expect(page.getByTestId('coding-counter')).toHaveText('1 / 3 done');
  // One key saves them again (the route lets this one through), and the view moves on.
  await page.keyboard.press('s');
  await expect(page.getByTestId('frame-id')).toHaveText(frameId(3));
  await expect(page.getByTestId('coding-counter')).toHaveText('2 / 3 done');
  await page.unroute('**/api/coding.save');
  await page.reload();
  await page.getByRole('tab', { name: 'All' }).click();
  await expect(page.getByTestId('coding-counter')).toHaveText('2 / 3 done');
});
