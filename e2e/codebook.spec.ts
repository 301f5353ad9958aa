import { expect, test } from './support/fixtures';

test.use({ seed: { codingFrames: 3 } });

test('the lead renames a category, which keeps its codes, and removes one only with a remap', async ({ page, server }) => {
  // One code on "3rd person" exists before the edits.
  const save = await fetch(`${server.baseUrl}/api/coding.save`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ coderId: 'coder_a', frameId: 'vid_0001_t001.0', codes: { pov: '3rd person', distance: 'Social' } }),
  });
  expect(save.status).toBe(200);

  await page.goto(server.url);
  await page.keyboard.press('Control+3');
  const pov = page.getByTestId('codebook-pov');
  await expect(pov.getByLabel('Category', { exact: true })).toHaveCount(4);
  // Rows are in codebook order: "3rd person" is the third.
  const third = pov.locator('li').nth(2);
  await expect(third.getByLabel('Category', { exact: true })).toHaveValue('3rd person');
  await expect(third).toContainText('1 codes');
  await third.getByLabel('Category', { exact: true }).fill('third person');
  await third.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('version 2')).toBeVisible();
  const renamed = pov.locator('li').nth(2);
  await expect(renamed.getByLabel('Category', { exact: true })).toHaveValue('third person');
  await expect(renamed).toContainText('1 codes');

  // Removing it needs a choice of where its code moves.
  await expect(renamed.getByRole('button', { name: 'Remove' })).toBeDisabled();
  await renamed.getByLabel('Move its codes to').selectOption({ label: 'no person' });
  await renamed.getByRole('button', { name: 'Remove' }).click();
  await expect(pov.getByLabel('Category', { exact: true })).toHaveCount(3);
  const noPerson = pov.locator('li').nth(2);
  await expect(noPerson.getByLabel('Category', { exact: true })).toHaveValue('no person');
  await expect(noPerson).toContainText('1 codes');

  // Example frames show coders what a category looks like; an unknown frame is refused clearly.
  const intimate = page.getByTestId('codebook-distance').locator('li').nth(0);
  await intimate.getByLabel('Example frame for Intimate').fill('vid_0001_t002.0');
  await intimate.getByLabel('Example frame for Intimate').press('Enter');
  await expect(intimate.getByRole('button', { name: 'vid_0001_t002.0 ×' })).toBeVisible();
  await intimate.getByLabel('Example frame for Intimate').fill('vid_9999_t001.0');
  await intimate.getByLabel('Example frame for Intimate').press('Enter');
  await expect(page.getByRole('alert')).toContainText('There is no frame "vid_9999_t001.0"');

  // The coding view follows the codebook.
  await page.keyboard.press('Control+1');
  await page.getByLabel('Coder').selectOption('coder_a');
  await expect(page.getByTestId('dimension-pov')).not.toContainText('third person');
  await expect(page.getByTestId('dimension-pov').locator('.category')).toHaveCount(3);
});
