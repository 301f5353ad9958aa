import { expect, test, type ServerHandle } from './support/fixtures';

/**
 * A paused job reads Paused wherever a job is shown (issue 20, items 6 and 10): never
 * "cancelled", with Resume offered, and resuming finishes it.
 */
test.use({ seed: { sparseFiles: 40, sparseBytes: 64 * 1024 * 1024 } });

async function call<T>(server: ServerHandle, method: string, input: unknown = {}): Promise<T> {
  const response = await fetch(`${server.baseUrl}/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  expect(response.status, `${method}: ${await response.clone().text()}`).toBe(200);
  return ((await response.json()) as { value: T }).value;
}

test('a paused job shows Paused and Resume in Jobs, and resumes to the end', async ({ page, server }) => {
  test.setTimeout(120_000);
  // Two jobs run at once: the third waits in line when it is paused.
  const ids: string[] = [];
  for (let i = 0; i < 3; i++)
    ids.push((await call<{ job: { id: string } }>(server, 'jobs.start', { kind: 'workspace.integrity', params: {} })).job.id);
  const paused = ids[2]!;
  await call(server, 'jobs.pause', { jobId: paused });

  await page.goto(server.url);
  await page.keyboard.press('Control+8');
  const row = page.locator(`[data-testid="job-row"][data-job-id="${paused}"]`);
  await expect(row).toContainText('paused');
  await expect(row).not.toContainText('cancelled');
  await row.locator('.job-head button').click();
  await expect(page.getByTestId('job-detail')).toContainText('paused');
  await page.screenshot({ path: '/tmp/jobs-paused.png' });
  await row.getByRole('button', { name: 'Resume' }).click();
  await expect(row).toContainText('succeeded', { timeout: 90_000 });
});
