import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadTable } from '../../src/main/core/suite/data/dataset';
import { readIdsTxt } from '../../src/main/core/suite/data/embeddings';
import { readSuiteConfig } from '../../src/main/cli/commands/suite';

/** DuckDB refuses a Latin-1 metadata CSV (it never reads it with U+FFFD); the message says where, as every text reader does. */
describe('a metadata table that is not UTF-8', () => {
  it('is refused naming the line and byte offset, plain or gzipped, without quoting the line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suite-utf8-'));
    const text = Buffer.from('video_id,title,views\nv1,cafe,10\nv2,caf\xe9,20\nv3,caf\xe8,30\n', 'latin1');
    const plain = path.join(dir, 'meta.csv');
    fs.writeFileSync(plain, text);
    const gz = path.join(dir, 'meta.csv.gz');
    fs.writeFileSync(gz, zlib.gzipSync(text));
    for (const file of [plain, gz]) {
      const err = await loadTable({ file }).then(
        () => null,
        (e: { code: string; message: string; details: unknown }) => e,
      );
      expect(err, file).toMatchObject({ code: 'INVALID_INPUT', details: { file, line: 3, byteOffset: 38 } });
      expect(err!.message).toContain(`${file} is not UTF-8 text: line 3 (byte offset 38) has the byte 0xE9`);
      expect(err!.message).not.toContain('caf');
    }
  });

  it('nor is an ids file: a Latin-1 id would silently miss its metadata row', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suite-utf8-'));
    const ids = path.join(dir, 'ids.txt');
    fs.writeFileSync(ids, Buffer.from('v1\ncaf\xe9\n', 'latin1'));
    expect(() => readIdsTxt(ids)).toThrow(`${ids} is not UTF-8 text: line 2 (byte offset 6) has the byte 0xE9`);
    fs.writeFileSync(ids, 'v1\ncaf\u00e9\n');
    expect(readIdsTxt(ids)).toEqual(['v1', 'caf\u00e9']);
  });

  it('nor is a suite config: a Latin-1 leakage column would silently match nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suite-utf8-'));
    const config = path.join(dir, 'suite.json');
    fs.writeFileSync(config, Buffer.from('{"metadata": "meta.csv", "leakage": ["vues_apr\xe8s"]}\n', 'latin1'));
    expect(() => readSuiteConfig(config)).toThrow(`${config} is not UTF-8 text: line 1 (byte offset 46) has the byte 0xE8`);
    fs.writeFileSync(config, '{"metadata": "meta.csv", "leakage": ["vues_apr\u00e8s"]}\n');
    expect(readSuiteConfig(config).leakage).toEqual(['vues_apr\u00e8s']);
  });
});
