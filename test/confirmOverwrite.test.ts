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

describe('callConfirmingOverwrite: a destination folder that does not exist', () => {
  const missing = (dir: string) =>
    new FramelabError('INVALID_INPUT', `The folder ${dir} does not exist`, { path: `${dir}/r.html`, rule: 'parent', missingFolder: dir });

  it('asks "Create it?", creates the folder, and tries again', async () => {
    let exists = false;
    const created: string[] = [];
    const asked: string[] = [];
    const calls: boolean[] = [];
    const call = async (overwrite: boolean) => {
      calls.push(overwrite);
      if (!exists) throw missing('/data/new/reports');
      return 'written';
    };
    const result = await callConfirmingOverwrite(
      call,
      (q) => (asked.push(q), true),
      async (dir) => {
        created.push(dir);
        exists = true;
      },
    );
    expect(result).toBe('written');
    expect(asked).toEqual(['The folder /data/new/reports does not exist. Create it?']);
    expect(created).toEqual(['/data/new/reports']);
    expect(calls).toEqual([false, false]);
  });

  it('on no, creates nothing, writes nothing and resolves null', async () => {
    const created: string[] = [];
    const result = await callConfirmingOverwrite(
      () => Promise.reject(missing('/data/new')),
      () => false,
      async (dir) => void created.push(dir),
    );
    expect(result).toBeNull();
    expect(created).toEqual([]);
  });

  it('offers the folder once: a folder that still is missing after creating it is an error', async () => {
    const err = missing('/data/new');
    let asked = 0;
    await expect(
      callConfirmingOverwrite(
        () => Promise.reject(err),
        () => (asked++, true),
        async () => undefined,
      ),
    ).rejects.toBe(err);
    expect(asked).toBe(1);
  });
});
