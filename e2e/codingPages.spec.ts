import { expect, test } from './support/fixtures';

/**
 * The coding queue comes a page at a time (200 frames): the keyboard walks across the page
 * boundary both ways, and a save on the window's last frame shows the next page's first.
 */
test.use({ seed: { codingFrames: 205 } });

const frameId = (n: number) => `vid_0001_t${n.toFixed(1).padStart(5, '0')}`;

test('arrows and saves cross page boundaries; the position counts the whole queue', async ({ page, server }) => {
  test.setTimeout(90_000);
  await page.goto(server.url);
  await expect(page.getByRole('heading', { name: 'Coding' })).toBeVisible();
  await page.getByLabel('Coder').selectOption('coder_a');
  await expect(page.getByTestId('frame-id')).toHaveText(frameId(1));
  await expect(page.getByTestId('coding-counter')).toHaveText('0 / 205 done');
  const caption = page.locator('.frame-caption .muted');
  await expect(caption).toContainText('1 of 205');

  // 199 presses at once in the page (each a real keydown through the app's handler): pressing
  // them one by one through the browser takes minutes on a loaded machine.
  await page.evaluate(() => {
    for (let i = 1; i < 200; i++) window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
  });
  await expect(page.getByTestId('frame-id')).toHaveText(frameId(200));
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('frame-id')).toHaveText(frameId(201));
  await expect(caption).toContainText('201 of 205');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('frame-id')).toHaveText(frameId(200));

  // Saving frame 200 shows 201; the rest of the queue is there to the end.
  await page.keyboard.press('1');
  await page.keyboard.press('a');
  await expect(page.getByTestId('coding-counter')).toHaveText('1 / 205 done');
  await expect(page.getByTestId('frame-id')).toHaveText(frameId(201));
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('frame-id')).toHaveText(frameId(205));

  // A reload keeps nothing in the page: the first frame of "uncoded" is frame 1 again.
  await page.reload();
  await expect(page.getByTestId('frame-id')).toHaveText(frameId(1));
  await expect(page.getByTestId('coding-counter')).toHaveText('1 / 205 done');
});
