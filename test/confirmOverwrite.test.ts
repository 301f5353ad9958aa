import { describe, expect, it } from 'vitest';
import { callConfirmingOverwrite, isExistsConflict } from '../src/renderer/api/confirmOverwrite';
import { FramelabError } from '../src/shared/errors';

/** A fake API call that refuses like the real one while the file exists and overwrite is false. */
function fakeExport(details: Record<string, unknown> = { path: '/data/codes.csv', exists: true }) {
  const calls: boolean[] = [];
  const call = async (overwrite: boolean) => {
    calls.push(overwrite);
    if (!overwrite) throw new FramelabError('CONFLICT', 'exists; pass overwrite', details);
    return { file: '/data/codes.csv' };
  };
  return { calls, call };
}

describe('callConfirmingOverwrite: the UI asks before the API replaces a file', () => {
  it('asks "<file> exists. Replace it?" and calls again with overwrite on yes', async () => {
    const { calls, call } = fakeExport();
    const asked: string[] = [];
    const result = await callConfirmingOverwrite(call, (q) => (asked.push(q), true));
    expect(result).toEqual({ file: '/data/codes.csv' });
    expect(asked).toEqual(['/data/codes.csv exists. Replace it?']);
    expect(calls).toEqual([false, true]);
  });

  it('on no, writes nothing and resolves null', async () => {
    const { calls, call } = fakeExport({ path: '/data/out', exists: true, existing: ['a.csv', 'b.csv'] });
    const asked: string[] = [];
    expect(await callConfirmingOverwrite(call, (q) => (asked.push(q), false))).toBeNull();
    expect(asked).toEqual(['/data/out already holds a.csv, b.csv. Replace them?']);
    expect(calls).toEqual([false]);
  });

  it('never asks about other errors, not even another CONFLICT', async () => {
    const other = new FramelabError('CONFLICT', 'The run has not finished');
    expect(isExistsConflict(other)).toBe(false);
    let asked = false;
    await expect(
      callConfirmingOverwrite(
        () => Promise.reject(other),
        () => (asked = true),
      ),
    ).rejects.toBe(other);
    expect(asked).toBe(false);
  });
});
