import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';

/**
 * The coding view as a coder uses it on short-form video: 1080×1920 frames in a 1400×900
 * window, coded with the keyboard only; zoom and 1:1; the ? sheet; the codebook panel.
 */
test.use({ seed: { codingFrames: 4, codingSize: '1080x1920', codebookExamples: true }, viewport: { width: 1400, height: 900 } });

const frameId = (n: number) => `vid_0001_t${n.toFixed(1).padStart(5, '0')}`;

/** Chooses the coder with the keyboard: focus the picker, arrow to the first coder. */
async function pickCoderWithKeys(page: Page) {
  await page.goto(page.url());
  await expect(page.getByRole('heading', { name: 'Coding' })).toBeVisible();
  await page.getByLabel('Coder').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByLabel('Coder')).toHaveValue('coder_a');
  await expect(page.getByTestId('frame-id')).toHaveText(frameId(1));
}

async function imageBox(page: Page) {
  const img = page.getByTestId('frame-image').locator('img');
  await expect(img).toBeVisible();
  return (await img.boundingBox())!;
}

/** The frame's box once the layout settled (its shape is known after the first image loads). */
async function settledImageBox(page: Page) {
  let last = '';
  await expect
    .poll(async () => {
      const now = JSON.stringify(await imageBox(page));
      const same = now === last;
      last = now;
      return same;
    })
    .toBe(true);
  return JSON.parse(last) as { x: number; y: number; width: number; height: number };
}

test('keyboard-only coding of portrait frames: the frame at least 600 px tall, neighbours beside it, the picker gives the keys back', async ({
  page,
  server,
}) => {
  await page.goto(server.url);
  await pickCoderWithKeys(page);
  // The picker no longer holds the keys: they code.
  await expect(page.getByLabel('Coder')).not.toBeFocused();

  const frame = await settledImageBox(page);
  expect(frame.height).toBeGreaterThanOrEqual(600);
  expect(frame.width / frame.height).toBeCloseTo(1080 / 1920, 2);
  await expect(page.locator('.frame-view')).toHaveAttribute('data-shape', 'portrait');
  // The neighbours stand beside the frame, not under it.
  const strip = (await page.getByLabel('Neighbouring frames').boundingBox())!;
  const stage = (await page.getByTestId('frame-image').boundingBox())!;
  expect(strip.x).toBeGreaterThanOrEqual(stage.x + stage.width - 1);
  expect(strip.y).toBeLessThan(stage.y + stage.height / 2);

  for (const mode of ['light', 'dark'] as const) {
    await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), mode);
    await page.screenshot({ path: `/tmp/coding-portrait-${mode}.png` });
  }

  await page.keyboard.press('1');
  await page.keyboard.press('a');
  await expect(page.getByTestId('coding-counter')).toHaveText('1 / 4 done');
  await expect(page.getByTestId('frame-id')).toHaveText(frameId(2));
  // J and K walk the frames as the arrows do.
  await page.keyboard.press('k');
  await expect(page.getByTestId('frame-id')).toHaveText(frameId(1));
  await page.keyboard.press('j');
  await expect(page.getByTestId('frame-id')).toHaveText(frameId(2));
  await page.keyboard.press('3');
  await page.keyboard.press('d');
  await expect(page.getByTestId('coding-counter')).toHaveText('2 / 4 done');
});

test('zoom with + and −, the wheel and a double-click; Space toggles 1:1; a new frame starts fitted', async ({ page, server }) => {
  await page.goto(server.url);
  await pickCoderWithKeys(page);
  const fitted = await settledImageBox(page);
  const level = page.getByTestId('zoom-level');
  await expect(level).toHaveText('Fit');

  await page.keyboard.press('+');
  await expect(level).not.toHaveText('Fit');
  expect((await imageBox(page)).height).toBeCloseTo(fitted.height * 1.25, 0);
  await page.keyboard.press('-');
  await expect(level).toHaveText('Fit');

  // 1:1: every pixel of the 1080×1920 frame.
  await page.keyboard.press(' ');
  await expect(level).toHaveText('100 %');
  const actual = await imageBox(page);
  expect(Math.round(actual.width)).toBe(1080);
  expect(Math.round(actual.height)).toBe(1920);
  await page.screenshot({ path: '/tmp/coding-actual-size.png' });
  // Dragging moves it.
  const stage = (await page.getByTestId('frame-image').boundingBox())!;
  await page.mouse.move(stage.x + stage.width / 2, stage.y + stage.height / 2);
  await page.mouse.down();
  await page.mouse.move(stage.x + stage.width / 2, stage.y + stage.height / 2 + 200, { steps: 4 });
  await page.mouse.up();
  expect((await imageBox(page)).y).toBeGreaterThan(actual.y + 150);
  await page.keyboard.press(' ');
  await expect(level).toHaveText('Fit');

  // The wheel zooms in around the pointer; a double-click returns to the fit.
  await page.mouse.move(stage.x + stage.width / 2, stage.y + stage.height / 3);
  await page.mouse.wheel(0, -100);
  await expect(level).not.toHaveText('Fit');
  await page.getByTestId('frame-image').dblclick();
  await expect(level).toHaveText('Fit');
  await page.getByTestId('frame-image').dblclick();
  await expect(level).not.toHaveText('Fit');

  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('frame-id')).toHaveText(frameId(2));
  await expect(level).toHaveText('Fit');
});

test('? opens the sheet of every key, the area keys and the codebook keys included; the codebook panel shows definitions and examples', async ({
  page,
  server,
}) => {
  await page.goto(server.url);
  await pickCoderWithKeys(page);
  // Picking a coder opened the coder role; the lead's sheet lists every area.
  await page.getByTestId('role-menu').selectOption('lead');
  await page.keyboard.press('?');
  const sheet = page.getByRole('dialog', { name: 'Keys' });
  await expect(sheet).toBeVisible();
  const app = sheet.getByLabel('App keys');
  for (const [keys, label] of [
    ['Ctrl+1', 'Coding'],
    ['Ctrl+2', 'Coders'],
    ['Ctrl+0', 'Sync'],
    ['Ctrl+Shift+F', 'Fine-tune'],
    ['Ctrl+Shift+O', 'Preferences'],
    ['Ctrl+J', 'jobs panel'],
    ['Ctrl+Shift+L', 'light / dark theme'],
  ]) {
    await expect(app.locator('.row', { has: page.locator(`kbd:text-is("${keys}")`) })).toContainText(label!);
  }
  const coding = sheet.getByLabel('Coding keys');
  await expect(coding).toContainText('1st person / 2nd person / 3rd person / no person');
  await expect(coding).toContainText('1:1 pixels / fit (or double-click)');
  await page.screenshot({ path: '/tmp/coding-keysheet.png' });
  // Keys typed on the sheet are the sheet's: 1 codes nothing behind it.
  await page.keyboard.press('1');
  await expect(page.locator('.category.draft')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();

  // On any screen.
  await page.keyboard.press('Control+5');
  await expect(page.getByRole('heading', { name: 'Videos', exact: true })).toBeVisible();
  await page.keyboard.press('?');
  await expect(sheet).toBeVisible();
  await page.keyboard.press('?');
  await expect(sheet).toBeHidden();

  await page.keyboard.press('Control+1');
  await page.getByText('Codebook: definitions and examples').click();
  const pov = page.getByLabel('POV definitions');
  await expect(pov).toContainText("Seen through the creator's own eyes");
  await expect(page.getByRole('img', { name: `Example: ${frameId(1)}` }).first()).toBeVisible();
  await page.screenshot({ path: '/tmp/coding-codebook-panel.png' });
});

test.describe('a landscape (16:9) frame', () => {
  test.use({ seed: { codingFrames: 4, codingSize: '1280x720' } });

  test('fits the width, with its neighbours under it', async ({ page, server }) => {
    await page.goto(server.url);
    await pickCoderWithKeys(page);
    await expect(page.locator('.frame-view')).toHaveAttribute('data-shape', 'landscape');
    const frame = await settledImageBox(page);
    const stage = (await page.getByTestId('frame-image').boundingBox())!;
    expect(frame.width).toBeCloseTo(stage.width, 0);
    expect(frame.width / frame.height).toBeCloseTo(16 / 9, 2);
    const strip = (await page.getByLabel('Neighbouring frames').boundingBox())!;
    expect(strip.y).toBeGreaterThanOrEqual(stage.y + stage.height - 1);
    for (const mode of ['light', 'dark'] as const) {
      await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), mode);
      await page.screenshot({ path: `/tmp/coding-landscape-${mode}.png` });
    }
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: 'Keys' })).toBeVisible();
    await page.screenshot({ path: '/tmp/coding-keysheet-dark.png' });
  });
});
