/**
 * Errors about a file the caller named describe it and never quote it (issue 16, item 3):
 * pointed at a secret (a token file, /etc/passwd, a private key), the annotations import, the
 * ICR input, the suite's metadata reader and the JSON readers say what is wrong without one
 * byte of what it holds. A real CSV's column names may still be named.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importAnnotations } from '../../src/main/core/annotations/importAnnotations';
import { readComparisonFile } from '../../src/main/core/finetune/comparisonFile';
import { csvIcrReport } from '../../src/main/core/icr/csvReport';
import { readManifest } from '../../src/main/core/infer/outputState';
import { loadTable } from '../../src/main/core/suite/data/dataset';
import { decodeSafetensors } from '../../src/main/core/vision/weights/safetensors';
import { FramelabError } from '../../src/shared/errors';
import { openTestCore, runCleanup, tempDir } from '../helpers';

afterEach(runCleanup);

const SECRET = 'hunter2-s3cr3t';
/** A token file, a passwd-like table and a private key: first lines that must never come back. */
const SECRETS: Record<string, string> = {
  token: `API_TOKEN=${SECRET}\nOTHER=1\n`,
  passwd: `root:x:0:0:${SECRET}:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n`,
  key: `-----BEGIN OPENSSH PRIVATE KEY-----\n${SECRET}AAAAB3NzaC1yc2EAAAADAQABAAABAQ\n-----END OPENSSH PRIVATE KEY-----\n`,
  netrc: `machine example.com login me password ${SECRET}\n`,
};

function secretFiles(dir: string, ext: string): string[] {
  return Object.entries(SECRETS).map(([name, text]) => {
    const file = path.join(dir, `${name}.${ext}`);
    fs.writeFileSync(file, text);
    return file;
  });
}

async function messageOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FramelabError);
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

/** Nothing of the content: not the secret, and not the first line's other words either. */
function expectNoContent(message: string) {
  expect(message).not.toContain(SECRET);
  expect(message).not.toMatch(/API_TOKEN|root:x|BEGIN OPENSSH|machine example/);
}

describe('annotations import of a file that is not annotations.csv', () => {
  it('says the first line has no frame_id column, without quoting the file, and imports nothing', () => {
    const dir = tempDir('read-errors');
    const core = openTestCore(path.join(dir, 'home'));
    for (const file of secretFiles(dir, 'csv')) {
      const report = importAnnotations(core.db, core.home, { file });
      expect(report.errors.length, file).toBeGreaterThan(0);
      const text = JSON.stringify(report.errors);
      expectNoContent(text);
      expect(report.errors[0]!.message).toMatch(/no frame_id column: this is not the lab's annotations\.csv/);
    }
    const binary = path.join(dir, 'binary.csv');
    fs.writeFileSync(binary, Buffer.concat([Buffer.from(`frame${SECRET},`), Buffer.alloc(64), Buffer.from([1, 2, 3])]));
    const report = importAnnotations(core.db, core.home, { file: binary });
    expect(report.errors[0]!.message).toMatch(/looks binary/);
    expectNoContent(JSON.stringify(report.errors));
    expect(core.db.prepare('SELECT count(*) AS n FROM codes').get()).toEqual({ n: 0 });
  });

  it('a real CSV missing a dimension still names its columns', () => {
    const dir = tempDir('read-errors');
    const core = openTestCore(path.join(dir, 'home'));
    const file = path.join(dir, 'codes.csv');
    fs.writeFileSync(file, 'frame_id,coder,pov\nv_t001.0,coder_a,1st person\n');
    const report = importAnnotations(core.db, core.home, { file });
    expect(report.errors.map((e) => e.message)).toContain(
      'The header has no distance column: the codebook\'s dimension "distance" is required (its columns: frame_id, coder, pov).',
    );
  });
});

describe('icr --input of a file that is not a CSV of codes', () => {
  it('describes the first line instead of listing it as columns', async () => {
    const dir = tempDir('read-errors');
    for (const file of secretFiles(dir, 'csv')) {
      const message = await messageOf(() =>
        csvIcrReport({
          file,
          dimension: 'pov',
          unitCol: 'frame_id',
          coderCol: 'coder',
          bootstrap: 0,
          seed: 1,
          home: path.join(dir, 'no-home'),
        }),
      );
      expectNoContent(message);
      expect(message).toMatch(/is not a CSV of codes: it has no "frame_id" or "coder" or "pov" column/);
    }
  });
});

describe('suite metadata that is not a table', () => {
  it('names neither the sniffed "columns" nor the lines DuckDB read', async () => {
    const dir = tempDir('read-errors');
    for (const file of secretFiles(dir, 'csv')) {
      const message = await messageOf(() => loadTable({ file, orderBy: 'video_id' }));
      expectNoContent(message);
    }
  }, 60_000);
});

describe('JSON files in a folder the caller chose', () => {
  it('v8_comparison.json: invalid JSON is described; a link is refused, not read', async () => {
    const dir = tempDir('read-errors');
    const file = path.join(dir, 'v8_comparison.json');
    fs.writeFileSync(file, SECRETS.passwd!);
    const message = await messageOf(() => readComparisonFile(file));
    expectNoContent(message);
    expect(message).toMatch(/not valid JSON/);
    fs.rmSync(file);
    const key = path.join(dir, 'id_rsa');
    fs.writeFileSync(key, SECRETS.key!);
    fs.symlinkSync(key, file);
    const linked = await messageOf(() => readComparisonFile(file));
    expect(linked).toMatch(/symbolic link/);
    expectNoContent(linked);
  });

  it('an inference manifest and a safetensors header: described, not quoted', async () => {
    const dir = tempDir('read-errors');
    fs.writeFileSync(path.join(dir, 'infer-manifest.json'), SECRETS.token!);
    expectNoContent(await messageOf(() => readManifest(dir)));
    const header = Buffer.from(`{"${SECRET}": oops}`);
    const bytes = Buffer.alloc(8 + header.length);
    bytes.writeBigUInt64LE(BigInt(header.length), 0);
    header.copy(bytes, 8);
    const message = await messageOf(() => decodeSafetensors(bytes, 'weights.safetensors'));
    expectNoContent(message);
    expect(message).toMatch(/header cannot be read: it is not valid JSON/);
  });
});
