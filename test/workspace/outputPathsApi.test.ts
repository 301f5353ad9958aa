/**
 * Every API method and job that writes to a path the caller chose, through the real handlers
 * on a real home (issue 16, item 3): a dotfile such as `.bashrc` or a file under `.ssh` is
 * never written, an existing file is replaced only with `overwrite` (CONFLICT otherwise, the
 * file byte-identical), and a job's output is refused when it is started, before any work.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/main/core/api/dispatch';
import { handlers } from '../../src/main/core/api/handlers';
import { importAnnotations } from '../../src/main/core/annotations/importAnnotations';
import type { Core } from '../../src/main/core/core';
import type { MethodName } from '../../src/shared/api';
import { SAMPLE } from '../annotations/fixtures';
import { openTestCore, runCleanup, tempDir } from '../helpers';

afterEach(runCleanup);

function setup(withCodes = false) {
  const dir = tempDir('outputs');
  const core = openTestCore(path.join(dir, 'home'));
  if (withCodes) expect(importAnnotations(core.db, core.home, { file: SAMPLE }).errors).toEqual([]);
  return { dir, core };
}

type Answer = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string; details?: unknown } };
const call = (core: Core, method: MethodName, input: unknown) => dispatch(handlers, core, method, input) as Promise<Answer>;

async function refused(core: Core, method: MethodName, input: unknown, code: 'INVALID_INPUT' | 'CONFLICT') {
  const answer = await call(core, method, input);
  expect(answer.ok, `${method} should be refused`).toBe(false);
  const { error } = answer as Extract<Answer, { ok: false }>;
  expect(error.code, error.message).toBe(code);
  return error;
}

async function value<T>(core: Core, method: MethodName, input: unknown): Promise<T> {
  const answer = await call(core, method, input);
  if (!answer.ok) throw new Error(`${method}: ${answer.error.code} ${answer.error.message}`);
  return answer.value as T;
}

/** A file that must come out of every refused call byte-identical. */
function precious(file: string, text = 'export PATH=/usr/bin\n# mine\n') {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return () => expect(fs.readFileSync(file, 'utf8')).toBe(text);
}

describe('annotations.export', () => {
  it('never writes a dotfile: <dir>/.bashrc is refused (also with overwrite) and stays byte-identical', async () => {
    const { dir, core } = setup(true);
    const bashrc = path.join(dir, '.bashrc');
    const unchanged = precious(bashrc);
    const error = await refused(core, 'annotations.export', { out: bashrc }, 'INVALID_INPUT');
    expect(error.message).toContain(bashrc);
    expect(error.message).not.toMatch(/\n\s+at /); // a message, not a stack trace
    unchanged();
    await refused(core, 'annotations.export', { out: bashrc, overwrite: true }, 'INVALID_INPUT');
    unchanged();
    const ssh = path.join(dir, '.ssh');
    fs.mkdirSync(ssh);
    await refused(core, 'annotations.export', { out: path.join(ssh, 'authorized_keys.csv') }, 'INVALID_INPUT');
    expect(fs.readdirSync(ssh)).toEqual([]);
  });

  it('refuses an existing file with CONFLICT, replaces it with overwrite, and needs the folder to exist', async () => {
    const { dir, core } = setup(true);
    const out = path.join(dir, 'annotations.csv');
    const unchanged = precious(out, 'frame_id\n');
    const error = await refused(core, 'annotations.export', { out }, 'CONFLICT');
    expect(error.message).toBe(`${out} exists; pass overwrite (CLI: --overwrite) to replace it.`);
    expect(error.details).toEqual({ path: out, exists: true });
    unchanged();
    expect(await value(core, 'annotations.export', { out, overwrite: true })).toEqual({ rows: 120, file: out });
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^frame_id,video_id,timestamp_s,coder,pov,distance,coded_at\r\n/);
    await refused(core, 'annotations.export', { out: path.join(dir, 'missing', 'a.csv') }, 'INVALID_INPUT');
    await refused(core, 'annotations.export', { out: path.join(dir, 'annotations.sh') }, 'INVALID_INPUT');
    expect(fs.existsSync(path.join(dir, 'missing'))).toBe(false);
  });
});

describe('icr.export', () => {
  it('writes each format once, refuses to replace it without overwrite, and refuses dotfiles and other extensions', async () => {
    const { dir, core } = setup(true);
    const report = { dimension: 'pov', bootstrap: 0 };
    const json = path.join(dir, 'reliability_pov.json');
    expect(await value(core, 'icr.export', { ...report, format: 'json', out: json })).toEqual({ file: json, format: 'json' });
    const first = fs.readFileSync(json, 'utf8');
    fs.writeFileSync(json, '{"mine": true}\n');
    expect((await refused(core, 'icr.export', { ...report, format: 'json', out: json }, 'CONFLICT')).details).toEqual({
      path: json,
      exists: true,
    });
    expect(fs.readFileSync(json, 'utf8')).toBe('{"mine": true}\n');
    await value(core, 'icr.export', { ...report, format: 'json', out: json, overwrite: true });
    expect(JSON.parse(fs.readFileSync(json, 'utf8')).units).toBe(JSON.parse(first).units);

    const profile = path.join(dir, '.profile');
    const unchanged = precious(profile);
    await refused(core, 'icr.export', { ...report, format: 'html', out: profile, overwrite: true }, 'INVALID_INPUT');
    unchanged();
    // The format decides the extension: HTML is not written to a .sh.
    await refused(core, 'icr.export', { ...report, format: 'html', out: path.join(dir, 'report.sh') }, 'INVALID_INPUT');
    expect(fs.existsSync(path.join(dir, 'report.sh'))).toBe(false);
  });
});

describe('gold.export', () => {
  it('writes a snapshot once, refuses an existing file or a link without writing, replaces with overwrite', async () => {
    const { dir, core } = setup(true);
    const snapshot = await value<{ id: string }>(core, 'gold.snapshot', { dimension: 'pov' });
    const out = path.join(dir, 'gold.csv');
    expect(await value(core, 'gold.export', { snapshotId: snapshot.id, out })).toEqual({ rows: 47, file: out });
    fs.writeFileSync(out, 'mine\n');
    await refused(core, 'gold.export', { snapshotId: snapshot.id, out }, 'CONFLICT');
    expect(fs.readFileSync(out, 'utf8')).toBe('mine\n');
    expect(await value(core, 'gold.export', { snapshotId: snapshot.id, out, overwrite: true })).toEqual({ rows: 47, file: out });

    const victim = path.join(dir, 'victim.txt');
    const unchanged = precious(victim);
    fs.symlinkSync(victim, path.join(dir, 'link.csv'));
    expect(
      (await refused(core, 'gold.export', { snapshotId: snapshot.id, out: path.join(dir, 'link.csv'), overwrite: true }, 'INVALID_INPUT'))
        .message,
    ).toMatch(/symbolic link/);
    unchanged();
  });
});

describe('jobs that write where the caller chose: refused when started, before any work', () => {
  const jobsOf = (core: Core) => core.jobRepo.list({ limit: 100 });

  it('models.export: an existing file (or a safetensors sidecar) is CONFLICT, a dotfolder INVALID_INPUT; no job is created', async () => {
    const { dir, core } = setup();
    const pth = path.join(dir, 'pov.pth');
    const unchanged = precious(pth, 'weights I keep');
    const error = await refused(
      core,
      'jobs.start',
      { kind: 'models.export', params: { model: 'pov@v7', format: 'pth', out: pth } },
      'CONFLICT',
    );
    expect(error.message).toContain('pass overwrite (CLI: --overwrite)');
    unchanged();
    const sidecar = path.join(dir, 'pov.safetensors.json');
    precious(sidecar, '{}');
    expect(
      (
        await refused(
          core,
          'jobs.start',
          { kind: 'models.export', params: { model: 'pov@v7', format: 'safetensors', out: path.join(dir, 'pov.safetensors') } },
          'CONFLICT',
        )
      ).message,
    ).toContain(sidecar);
    fs.mkdirSync(path.join(dir, '.local'));
    await refused(
      core,
      'jobs.start',
      { kind: 'models.export', params: { model: 'pov@v7', format: 'onnx', out: path.join(dir, '.local', 'm.onnx') } },
      'INVALID_INPUT',
    );
    await refused(
      core,
      'jobs.start',
      { kind: 'models.export', params: { model: 'pov@v7', format: 'onnx', out: path.join(dir, 'm.pth') } },
      'INVALID_INPUT',
    );
    expect(jobsOf(core)).toEqual([]);
  });

  it('suite.score and suite.embedText: an existing output (or the ids beside an .npy) is CONFLICT until overwrite', async () => {
    const { dir, core } = setup();
    const csv = path.join(dir, 'scores.csv');
    const unchanged = precious(csv, 'video_id\n');
    const score = { runId: 'suite-x', model: 'ridge', metadata: path.join(dir, 'meta.csv'), out: csv };
    await refused(core, 'jobs.start', { kind: 'suite.score', params: score }, 'CONFLICT');
    unchanged();
    precious(path.join(dir, 'titles.ids.txt'), 'v1\n');
    const embed = { input: path.join(dir, 'meta.csv'), column: 'title', model: path.join(dir, 'model'), out: path.join(dir, 'titles.npy') };
    expect((await refused(core, 'jobs.start', { kind: 'suite.embedText', params: embed }, 'CONFLICT')).message).toContain('titles.ids.txt');
    await refused(
      core,
      'jobs.start',
      { kind: 'suite.embedText', params: { ...embed, out: path.join(dir, '.cache.npz') } },
      'INVALID_INPUT',
    );
    expect(jobsOf(core)).toEqual([]);
  });

  it('infer.run and finetune.run: an output folder needs its parent and no hidden segment; an existing one is accepted (a resume)', async () => {
    const { dir, core } = setup();
    const infer = { videos: path.join(dir, 'videos'), models: ['pov@v7'] };
    await refused(
      core,
      'jobs.start',
      { kind: 'infer.run', params: { ...infer, outDir: path.join(dir, 'no', 'such', 'out') } },
      'INVALID_INPUT',
    );
    await refused(core, 'jobs.start', { kind: 'infer.run', params: { ...infer, outDir: path.join(dir, '.hidden') } }, 'INVALID_INPUT');
    await refused(
      core,
      'jobs.start',
      { kind: 'finetune.run', params: { goldSnapshotId: 's', baseModel: 'pov@v7', outDir: path.join(dir, '.ssh') } },
      'INVALID_INPUT',
    );
    fs.writeFileSync(path.join(dir, 'a-file'), 'x');
    await refused(
      core,
      'jobs.start',
      { kind: 'finetune.run', params: { goldSnapshotId: 's', baseModel: 'pov@v7', outDir: path.join(dir, 'a-file') } },
      'INVALID_INPUT',
    );
    expect(jobsOf(core)).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'no'))).toBe(false);
    expect(fs.existsSync(path.join(dir, '.hidden'))).toBe(false);
  });
});
