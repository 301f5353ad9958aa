import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './support/fixtures';

test.describe('browser mode', () => {
  test('opens the workspace with the token and hides the token from the address bar', async ({ page, server }) => {
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    const response = await page.goto(server.url);
    expect(response!.status()).toBe(200);
    await page.keyboard.press('Control+7');
    expect(response!.headers()['content-security-policy']).toContain("default-src 'self'");
    await expect(page.getByRole('heading', { name: 'Workspace' })).toBeVisible();
    await expect(page.getByTestId('home-path')).toHaveText(server.home);
    await expect(page.getByTestId('capabilities')).toContainText('ffmpeg');
    expect(new URL(page.url()).searchParams.get('token')).toBeNull();
    // The browser holds a page cookie, never the API token: 127.0.0.1's cookies go to every port.
    const cookies = await page.context().cookies();
    expect(cookies.map((c) => c.name)).toEqual([`framelab_page_${new URL(server.baseUrl).port}`]);
    expect(cookies.some((c) => c.value.includes(server.token))).toBe(false);
    // A reload keeps working: the page authenticates with its cookie, the API with the kept token.
    await page.reload();
    await page.getByRole('button', { name: 'Workspace' }).click();
    await expect(page.getByTestId('home-path')).toHaveText(server.home);
    // The CSP must not break the app itself.
    expect(problems).toEqual([]);
  });

  test('refuses the page without the token', async ({ page, server }) => {
    const response = await page.goto(server.baseUrl + '/');
    expect(response!.status()).toBe(401);
    await expect(page.locator('body')).toContainText('Unauthorized');
  });

  test('runs an integrity check as a job with live progress, then shows the report', async ({ page, server }) => {
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Workspace' }).click();
    await expect(page.getByTestId('integrity-card')).toContainText('Never checked');
    await page.getByRole('button', { name: 'Run integrity check' }).click();
    const panel = page.getByTestId('jobs-panel');
    await expect(panel.locator('[data-testid=job-row]').first()).toHaveAttribute('data-status', 'succeeded');
    await expect(page.getByTestId('integrity-status')).toContainText('Intact');

    // Ctrl+7 opens Jobs; the job's log and result are there.
    await page.keyboard.press('Control+8');
    await expect(page.getByRole('heading', { name: 'Jobs' })).toBeVisible();
    await page.locator('main [data-testid=job-row] button.link').first().click();
    await expect(page.getByTestId('job-log')).toContainText('Workspace is intact');
  });

  test('switches between light and dark and remembers the choice', async ({ page, server }) => {
    await page.goto(server.url);
    const html = page.locator('html');
    const before = await html.getAttribute('data-theme');
    await page.getByTestId('theme-toggle').click();
    const after = before === 'dark' ? 'light' : 'dark';
    await expect(html).toHaveAttribute('data-theme', after);
    await page.reload();
    await expect(html).toHaveAttribute('data-theme', after);
    await page.keyboard.press('Control+Shift+L');
    await expect(html).toHaveAttribute('data-theme', before ?? 'light');
  });
});

test.describe('unregistered files', () => {
  test('the check lists files nobody registered and deletes none', async ({ page, server }) => {
    const stray = path.join(server.home, 'files', 'frames', 'by-hand.jpg');
    fs.mkdirSync(path.dirname(stray), { recursive: true });
    fs.writeFileSync(stray, 'put there by hand');
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Workspace' }).click();
    await page.getByRole('button', { name: 'Run integrity check' }).click();
    await expect(page.getByTestId('jobs-panel').locator('[data-testid=job-row]').first()).toHaveAttribute('data-status', 'succeeded');
    await expect(page.getByTestId('integrity-status')).toContainText('Intact');
    await expect(page.getByTestId('integrity-unregistered')).toContainText('1 file(s) in the home are not registered');
    expect(fs.readFileSync(stray, 'utf8')).toBe('put there by hand');
  });
});

test.describe('long jobs', () => {
  // Two sparse 1.5 GiB files: hashing them takes seconds, enough to act on a running job.
  test.use({ seed: { smallFiles: 3, sparseFiles: 2, sparseBytes: 1.5 * 2 ** 30 } });

  test('cancel stops a running job', async ({ page, server }) => {
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Workspace' }).click();
    await page.getByRole('button', { name: 'Run integrity check' }).click();
    const row = page.getByTestId('jobs-panel').locator('[data-testid=job-row]').first();
    await expect(row).toHaveAttribute('data-status', 'running');
    await expect(row.getByRole('progressbar')).not.toHaveAttribute('aria-valuenow', '0');
    await row.getByRole('button', { name: 'Cancel' }).click();
    await expect(row).toHaveAttribute('data-status', 'cancelled');
    await expect(row.getByRole('button', { name: 'Resume' })).toBeVisible();
  });

  test('a paused job reads paused (never cancelled) and its log says what was asked', async ({ page, server }) => {
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Workspace' }).click();
    await page.getByRole('button', { name: 'Run integrity check' }).click();
    const row = page.getByTestId('jobs-panel').locator('[data-testid=job-row]').first();
    await expect(row).toHaveAttribute('data-status', 'running');
    await expect(row.getByRole('progressbar')).not.toHaveAttribute('aria-valuenow', '0');
    await row.getByRole('button', { name: 'Pause' }).click();
    await expect(row).toHaveAttribute('data-status', 'cancelled');
    await expect(row.locator('.badge')).toHaveText('paused');
    await expect(row.getByRole('button', { name: 'Resume' })).toBeVisible();
    await row.locator('button.link').click();
    await expect(page.getByTestId('job-log')).toContainText('Pause requested; stopping at a checkpoint to resume later.');
  });

  test('a killed job process shows as interrupted and resumes to the end', async ({ page, server }) => {
    test.setTimeout(120_000);
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Workspace' }).click();
    await page.getByRole('button', { name: 'Run integrity check' }).click();
    const row = page.getByTestId('jobs-panel').locator('[data-testid=job-row]').first();
    await expect(row).toHaveAttribute('data-status', 'running');
    const jobId = (await row.getAttribute('data-job-id'))!;
    await expect.poll(() => server.jobPid(jobId)).toBeGreaterThan(0);
    process.kill(server.jobPid(jobId)!, 'SIGKILL');
    await expect(row).toHaveAttribute('data-status', 'interrupted');
    await expect(row).toContainText('SIGKILL');
    await row.getByRole('button', { name: 'Resume' }).click();
    await expect(row).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
    // The sparse files no longer match their recorded hash: the report says so.
    await expect(page.getByTestId('integrity-status')).toContainText('Problems found');
  });
});
