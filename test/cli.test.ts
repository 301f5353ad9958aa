import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DoctorReport } from '../src/shared/api';
import { IntegrityReport, JobSummary } from '../src/shared/jobs';
import { splitGlobals } from '../src/main/cli/main';
import {
  REPO_ROOT,
  apiCall,
  cliEnv,
  LISTENING_LINE,
  PACKAGE_VERSION,
  runCleanup,
  runCli,
  singleJsonLine,
  startServe,
  tempDir,
  withTimeout,
} from './helpers';

afterEach(runCleanup);

const CLI_TEST_MS = 30_000;

function lockFile(home: string): string {
  return path.join(home, 'owner.lock');
}

describe('global flags', () => {
  it("treats --version as the app version before a command and as the command's option after it", () => {
    expect(splitGlobals(['--version']).version).toBe(true);
    const parsed = splitGlobals(['models', 'import', 'a.pth', '--version', 'v7', '--json', '--home', '/tmp/h']);
    expect(parsed).toMatchObject({ version: false, command: 'models', rest: ['import', 'a.pth', '--version', 'v7'] });
    expect(parsed.globals).toEqual({ home: '/tmp/h', json: true, commandLine: 'framelab models import a.pth --version v7' });
  });
});

describe('framelab CLI', () => {
  it(
    '--version prints the package.json version',
    async () => {
      const home = tempDir('cli');
      const plain = await runCli(['--version', '--home', home]);
      expect(plain).toMatchObject({ code: 0, stdout: `${PACKAGE_VERSION}\n`, stderr: '' });
      const json = await runCli(['--version', '--json', '--home', home]);
      expect(json.code).toBe(0);
      expect(singleJsonLine(json.stdout)).toEqual({ name: 'framelab', version: PACKAGE_VERSION });
      // Printing the version touches no home.
      expect(fs.readdirSync(home)).toEqual([]);
    },
    CLI_TEST_MS,
  );

  it(
    'doctor --json prints exactly one JSON report and exits 0',
    async () => {
      const home = tempDir('cli');
      const res = await runCli(['doctor', '--json', '--home', home]);
      expect(res.code).toBe(0);
      const report = singleJsonLine(res.stdout);
      expect(DoctorReport.parse(report)).toEqual(report);
      expect(report.app).toEqual({ name: 'Framelab', version: PACKAGE_VERSION });
      expect(report.versions.node).toBe(process.versions.node);
      expect(typeof report.capabilities.ffmpeg.available).toBe('boolean');
      expect(typeof report.capabilities.ffmpeg.detail).toBe('string');
      expect(report.home).toMatchObject({ path: home, exists: true, schemaVersion: null, owner: null });
      // doctor only reads: no database, no lock.
      expect(fs.existsSync(path.join(home, 'framelab.db'))).toBe(false);
      expect(fs.existsSync(lockFile(home))).toBe(false);
    },
    CLI_TEST_MS,
  );

  it(
    'doctor says what is missing and how to get it, and never prints credentials',
    async () => {
      const home = tempDir('cli');
      const keyFile = path.join(home, 'key.json');
      fs.writeFileSync(keyFile, JSON.stringify({ type: 'service_account', private_key: 'SECRET-KEY-MATERIAL' }));
      const env = { ...cliEnv(), FFMPEG_PATH: path.join(home, 'no-ffmpeg'), GOOGLE_APPLICATION_CREDENTIALS: keyFile };
      const res = await runCli(['doctor', '--json', '--home', home], { env });
      expect(res.code).toBe(0);
      const report = singleJsonLine(res.stdout);
      expect(report.capabilities.ffmpeg.available).toBe(false);
      expect(report.capabilities.ffmpeg.detail).toMatch(/no-ffmpeg not usable \(ENOENT\).*apt-get install -y ffmpeg/);
      expect(report.capabilities.gcsCredentials).toEqual({
        available: true,
        detail: expect.stringContaining('GOOGLE_APPLICATION_CREDENTIALS'),
      });
      expect(res.stdout + res.stderr).not.toContain('SECRET-KEY-MATERIAL');

      // The training addon is probed in a throwaway process; when it is not built, the fix is named.
      const addonBuilt = fs.existsSync(path.join(REPO_ROOT, 'native/build/Release/framelab_native.node'));
      expect(report.capabilities.nativeAddon.available).toBe(addonBuilt);
      expect(report.capabilities.nativeAddon.detail).toMatch(addonBuilt ? /^LibTorch \d+\.\d+/ : /npm run build:native/);
      // XGBoost is linked into the same addon when libxgboost-dev was there at build time (.ci/run installs it).
      expect(report.capabilities.xgboost).toEqual(
        addonBuilt
          ? { available: true, detail: expect.stringMatching(/^XGBoost \d+\.\d+\.\d+, linked into the training addon/) }
          : { available: false, detail: expect.stringMatching(/^needs the training addon/) },
      );
      // The model-input resize: the image addon (native/src/image) when built, else the TypeScript path, saying why.
      const imageBuilt = fs.existsSync(path.join(REPO_ROOT, 'native/build/Release/framelab_image.node'));
      expect(report.capabilities.imageResize).toEqual({
        available: imageBuilt,
        detail: imageBuilt ? expect.stringMatching(/^native resize/) : expect.stringMatching(/npm run build:native/),
      });
      const noImage = await runCli(['doctor', '--json', '--home', home], {
        env: { ...env, FRAMELAB_IMAGE_ADDON: path.join(home, 'none-image.node') },
      });
      expect(singleJsonLine(noImage.stdout).capabilities.imageResize).toEqual({
        available: false,
        detail: expect.stringMatching(/^TypeScript resize, slower: .*none-image\.node is missing.*npm run build:native/),
      });
      const noAddon = await runCli(['doctor', '--json', '--home', home], {
        env: { ...env, FRAMELAB_NATIVE_ADDON: path.join(home, 'none.node') },
      });
      expect(singleJsonLine(noAddon.stdout).capabilities.nativeAddon).toEqual({
        available: false,
        detail: expect.stringMatching(/none\.node is missing.*npm run build:native.*libtorch-dev/),
      });
      expect(singleJsonLine(noAddon.stdout).capabilities.xgboost.available).toBe(false);

      const missing = await runCli(['doctor', '--json', '--home', home], {
        env: { ...env, GOOGLE_APPLICATION_CREDENTIALS: path.join(home, 'gone.json') },
      });
      expect(singleJsonLine(missing.stdout).capabilities.gcsCredentials).toEqual({
        available: false,
        detail: expect.stringContaining('does not exist'),
      });
    },
    // Four doctor runs, each probing both addons in a throwaway process: seconds each on a loaded machine.
    4 * CLI_TEST_MS,
  );

  it(
    'jobs show of an unknown job with --json: nothing on stdout, the error envelope on stderr, non-zero exit',
    async () => {
      const home = tempDir('cli');
      const res = await runCli(['jobs', 'show', 'nope', '--json', '--home', home]);
      expect(res.code).not.toBe(0);
      expect(res.code).toBe(1);
      expect(res.stdout).toBe('');
      const envelope = singleJsonLine(res.stderr);
      expect(envelope).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: expect.any(String) } });
      expect(Object.keys(envelope)).toEqual(['ok', 'error']);
      expect(Object.keys(envelope.error)).toEqual(['code', 'message']);
      expect(envelope.error.message).toContain('nope');
      // The command released the home it owned for its duration.
      expect(fs.existsSync(lockFile(home))).toBe(false);
    },
    CLI_TEST_MS,
  );

  it(
    'without --json the same error is in plain words on stderr',
    async () => {
      const home = tempDir('cli');
      const res = await runCli(['jobs', 'show', 'nope', '--home', home]);
      expect(res.code).toBe(1);
      expect(res.stdout).toBe('');
      expect(res.stderr).toBe('Error (NOT_FOUND): There is no job "nope".\n');
      expect(() => JSON.parse(res.stderr)).toThrow();
    },
    CLI_TEST_MS,
  );

  it(
    'an unknown command exits 2 with INVALID_INPUT',
    async () => {
      const home = tempDir('cli');
      const json = await runCli(['frobnicate', '--json', '--home', home]);
      expect(json.code).toBe(2);
      expect(json.stdout).toBe('');
      const envelope = singleJsonLine(json.stderr);
      expect(envelope.error.code).toBe('INVALID_INPUT');
      expect(envelope.error.message).toContain('frobnicate');
      const plain = await runCli(['frobnicate', '--home', home]);
      expect(plain.code).toBe(2);
      expect(plain.stderr).toMatch(/^Error \(INVALID_INPUT\): Unknown command "frobnicate"/);
      // A bad option of a known command is a usage error too.
      const badOption = await runCli(['jobs', 'list', '--limit', 'many', '--json', '--home', home]);
      expect(badOption.code).toBe(2);
      expect(singleJsonLine(badOption.stderr).error.code).toBe('INVALID_INPUT');
    },
    CLI_TEST_MS,
  );

  it(
    'check --json on a fresh home runs the integrity job and prints it succeeded and ok',
    async () => {
      const home = tempDir('cli');
      const res = await runCli(['check', '--json', '--home', home]);
      expect(res.code).toBe(0);
      const out = singleJsonLine(res.stdout);
      const job = JobSummary.parse(out.job);
      expect(job).toMatchObject({ kind: 'workspace.integrity', status: 'succeeded', attempts: 1 });
      expect(IntegrityReport.parse(job.result)).toMatchObject({ ok: true, files: { total: 0, checked: 0 } });
      // --json keeps progress off stderr; the home is created and released.
      expect(res.stderr).toBe('');
      expect(fs.existsSync(path.join(home, 'framelab.db'))).toBe(true);
      expect(fs.existsSync(lockFile(home))).toBe(false);
      // And the job is recorded in the home: a later command sees it.
      const shown = await runCli(['jobs', 'show', job.id, '--json', '--home', home]);
      expect(shown.code).toBe(0);
      expect(singleJsonLine(shown.stdout).job).toMatchObject({ id: job.id, status: 'succeeded' });
    },
    CLI_TEST_MS,
  );
});

describe('framelab serve', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(
      `prints one listening line, guards the API with its token, and on ${signal} exits 0 and removes owner.lock`,
      async () => {
        const home = tempDir('serve');
        const serve = await startServe(home);
        expect(serve.line).toMatch(LISTENING_LINE);
        expect(serve.url).toBe(`http://127.0.0.1:${serve.port}`);

        const lock = JSON.parse(fs.readFileSync(lockFile(home), 'utf8'));
        expect(lock).toMatchObject({ pid: serve.proc.pid, mode: 'serve', endpoint: { url: serve.url, token: serve.token } });
        expect(fs.statSync(lockFile(home)).mode & 0o777).toBe(0o600);

        expect((await fetch(`${serve.url}/`)).status).toBe(401);
        const unauthorized = await apiCall(serve.url, null, 'app.info');
        expect(unauthorized).toMatchObject({ status: 401, body: { ok: false, error: { code: 'UNAUTHORIZED' } } });
        const info = await apiCall(serve.url, serve.token, 'app.info');
        expect(info).toMatchObject({ status: 200, body: { ok: true, value: { mode: 'browser', home, version: PACKAGE_VERSION } } });

        process.kill(serve.proc.pid, signal);
        const exit = await withTimeout(serve.proc.exit, 5_000, `serve to exit after ${signal}`);
        expect(exit).toEqual({ code: 0, signal: null });
        expect(fs.existsSync(lockFile(home))).toBe(false);
        expect(serve.proc.stdout()).toBe(`${serve.line}\n`);
        expect(serve.proc.stderr()).toContain(`${signal} received`);
        await expect(fetch(`${serve.url}/`)).rejects.toThrow();
      },
      CLI_TEST_MS,
    );
  }

  it(
    'while serve runs, check goes through it: the job is the server’s, and succeeds',
    async () => {
      const home = tempDir('serve');
      const serve = await startServe(home);
      const res = await runCli(['check', '--json', '--home', home]);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const job = JobSummary.parse(singleJsonLine(res.stdout).job);
      expect(job.status).toBe('succeeded');
      expect(IntegrityReport.parse(job.result).ok).toBe(true);

      const list = await apiCall(serve.url, serve.token, 'jobs.list', {});
      expect(list.status).toBe(200);
      const listed = (list.body.value.jobs as { id: string; status: string }[]).find((j) => j.id === job.id);
      expect(listed).toMatchObject({ id: job.id, status: 'succeeded' });
      // The server kept the home throughout.
      expect(JSON.parse(fs.readFileSync(lockFile(home), 'utf8')).pid).toBe(serve.proc.pid);
      expect(serve.proc.child.exitCode).toBeNull();
    },
    CLI_TEST_MS,
  );

  it(
    'a second serve on the same home fails with HOME_LOCKED and leaves the first one running',
    async () => {
      const home = tempDir('serve');
      const first = await startServe(home);
      const lockBefore = fs.readFileSync(lockFile(home), 'utf8');

      const second = await runCli(['serve', '--port', '0', '--json', '--home', home]);
      expect(second.code).toBe(1);
      expect(second.stdout).toBe('');
      const envelope = singleJsonLine(second.stderr);
      expect(envelope.error.code).toBe('HOME_LOCKED');
      expect(envelope.error.message).toContain(`pid ${first.proc.pid}`);

      expect(fs.readFileSync(lockFile(home), 'utf8')).toBe(lockBefore);
      expect((await apiCall(first.url, first.token, 'app.info')).status).toBe(200);
    },
    CLI_TEST_MS,
  );
});
