import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadTable } from '../../src/main/core/suite/dataset';

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
});
