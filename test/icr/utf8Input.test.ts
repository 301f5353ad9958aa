import { afterEach, describe, expect, it } from 'vitest';
import { icrCommand } from '../../src/main/cli/commands/icr';
import { decodeUtf8, firstInvalidUtf8 } from '../../src/main/core/workspace/utf8Text';
import type { FramelabError } from '../../src/shared/errors';
import path from 'node:path';
import { importFile, writeFile } from '../annotations/fixtures';
import { openTestCore, runCleanup, tempDir } from '../helpers';

afterEach(runCleanup);

/** What a strict decoder says: the reference firstInvalidUtf8 must agree with. */
const decodes = (bytes: Uint8Array) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

describe('strict UTF-8 for the text files users give', () => {
  it('finds the first invalid sequence exactly where a strict decoder stops', () => {
    const cases: [number[], number][] = [
      [[0x61, 0x62], -1],
      [[0x63, 0x61, 0x66, 0xe9], 3], // Latin-1 "café"
      [[0x63, 0x61, 0x66, 0xc3, 0xa9], -1], // UTF-8 "café"
      [[0xc0, 0x80], 0], // overlong NUL
      [[0xe0, 0x80, 0x80], 0], // overlong
      [[0xed, 0xa0, 0x80], 0], // a surrogate
      [[0xf4, 0x90, 0x80, 0x80], 0], // past U+10FFFF
      [[0xf0, 0x9f, 0x98, 0x80], -1], // an emoji
      [[0x41, 0xf0, 0x9f, 0x98], 1], // truncated at the end
      [[0x41, 0x80], 1], // a lone continuation byte
    ];
    for (const [bytes, at] of cases) {
      const u = Uint8Array.from(bytes);
      expect(firstInvalidUtf8(u), bytes.map((b) => b.toString(16)).join(' ')).toBe(at);
      expect(decodes(u)).toBe(at < 0);
    }
    // Random bytes: valid exactly when the decoder accepts them.
    let seed = 7;
    for (let t = 0; t < 2000; t++) {
      const u = Uint8Array.from({ length: 1 + (t % 9) }, () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 8) & 0xff);
      expect(firstInvalidUtf8(u) < 0).toBe(decodes(u));
    }
  });

  it('names the file, the line and the byte offset; a BOM is dropped from valid text', () => {
    const latin1 = Buffer.from('frame_id,coder,word\r\nf1,a,caf\xe9\r\n', 'latin1');
    expect(() => decodeUtf8(latin1, '/x/codes.csv', 'save it as "CSV UTF-8"')).toThrow(
      '/x/codes.csv is not UTF-8 text: line 2 (byte offset 29) has the byte 0xE9',
    );
    expect(decodeUtf8(Buffer.from('\uFEFFa,b\n', 'utf8'), 'f', 'fix')).toBe('a,b\n');
  });

  it('icr --input refuses a Latin-1 file: "café" and "cafè" are not the same code (they used to agree 1.0)', async () => {
    const dir = tempDir('icr-utf8');
    const rows = ['frame_id,coder,word', 'f1,alice,caf\xe9', 'f1,bob,caf\xe8', 'f2,alice,th\xe9', 'f2,bob,th\xe9'];
    const latin1 = writeFile(dir, 'latin1.csv', Buffer.from(rows.join('\n') + '\n', 'latin1'));
    let error: FramelabError | undefined;
    try {
      await icrCommand.run(['--input', latin1, '--dimension', 'word', '--bootstrap', '0'], { home: dir, json: true });
    } catch (err) {
      error = err as FramelabError;
    }
    expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { file: latin1, line: 2, byteOffset: 32 } });
    expect(error!.message).toContain(`${latin1} is not UTF-8 text: line 2 (byte offset 32) has the byte 0xE9`);
    expect(error!.message).toContain('save it as "CSV UTF-8"');

    // The same codes saved as UTF-8 are read as two different words: no agreement on f1.
    const utf8 = writeFile(dir, 'utf8.csv', rows.join('\n') + '\n');
    const { value } = (await icrCommand.run(['--input', utf8, '--dimension', 'word', '--bootstrap', '0'], { home: dir, json: true })) as {
      value: { percentAgreement: number };
    };
    expect(value.percentAgreement).toBe(0.5);
  });

  it('annotations import refuses it with the same helper, naming the line, and saves nothing', async () => {
    const dir = tempDir('import-utf8');
    const core = openTestCore(path.join(dir, 'home'));
    const text =
      'frame_id,video_id,timestamp_s,coder,pov,distance,coded_at\r\nv_t001.0,v,1.0,ana,no person,Soci\xe9t\xe9,2025-01-01T00:00:00Z\r\n';
    const file = writeFile(dir, 'latin1.csv', Buffer.from(text, 'latin1'));
    await expect(importFile(core, { file })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining(`${file} is not UTF-8 text: line 2 (byte offset`),
      details: { file, line: 2 },
    });
    expect(core.db.prepare('SELECT count(*) AS n FROM frames').get()).toEqual({ n: 0 });
  });
});
