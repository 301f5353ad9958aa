import { afterEach, describe, expect, it } from 'vitest';
import { changeCodebook, codebookHistory, readCodebook } from '../../src/main/core/coding/codebook';
import { upsertCoder } from '../../src/main/core/coding/coders';
import { saveFrameCodes } from '../../src/main/core/coding/codes';
import { assignFrames } from '../../src/main/core/coding/assignments';
import { api } from '../../src/shared/api';
import { expectFramelabError, openTestCore, runCleanup, tempDir } from '../helpers';
import { addFrames, categoryId, historyRows } from './fixtures';

afterEach(runCleanup);

function codedHome() {
  const core = openTestCore(tempDir('codebook'));
  const frames = addFrames(core, 'vid_0001', [1, 2, 3]);
  upsertCoder(core.db, { coderId: 'coder_a' });
  assignFrames(core.db, { coderIds: ['coder_a'], overlap: { frameIds: [] } });
  return { core, frames };
}

describe('codebook', () => {
  it('starts with the lab defaults, in the codebook order, as version 1', () => {
    const core = openTestCore(tempDir('codebook'));
    const book = readCodebook(core.db);
    expect(book.version).toBe(1);
    expect(book.dimensions.map((d) => [d.name, d.level])).toEqual([
      ['pov', 'nominal'],
      ['distance', 'ordinal'],
    ]);
    expect(book.dimensions[0]!.categories.map((c) => c.value)).toEqual(['1st person', '2nd person', '3rd person', 'no person']);
    expect(book.dimensions[1]!.categories.map((c) => c.value)).toEqual(['Intimate', 'Personal', 'Social', 'Public']);
    const keys = book.dimensions.flatMap((d) => d.categories.map((c) => c.shortcut));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('renaming a category keeps its codes and is a new version', () => {
    const { core, frames } = codedHome();
    saveFrameCodes(core.db, { coderId: 'coder_a', frameId: frames[0]!, codes: { pov: '3rd person', distance: 'Social' } });
    const id = categoryId(core, 'pov', '3rd person');
    const book = changeCodebook(core.db, { op: 'updateCategory', categoryId: id, value: 'third person' });
    expect(book.version).toBe(2);
    const renamed = book.dimensions[0]!.categories.find((c) => c.id === id)!;
    expect(renamed).toMatchObject({ value: 'third person', codeCount: 1 });
    const versions = core.db.prepare('SELECT version, change FROM codebook_versions ORDER BY version').all();
    expect(versions).toEqual([
      { version: 1, change: 'default codebook' },
      { version: 2, change: 'renamed pov "3rd person" to "third person"' },
    ]);
  });

  it('records who made a change (a named lead), refuses an unknown author without changing anything, and lists the history newest first', () => {
    const { core } = codedHome();
    upsertCoder(core.db, { coderId: 'kim', name: 'Kim', role: 'lead' });
    const id = categoryId(core, 'pov', '1st person');
    changeCodebook(core.db, { op: 'updateCategory', categoryId: id, value: 'first person' }, 'kim');
    const before = readCodebook(core.db);
    const err = expectFramelabError(
      () => changeCodebook(core.db, { op: 'updateCategory', categoryId: id, value: 'I' }, 'nobody'),
      'NOT_FOUND',
    );
    expect(err.message).toContain('"nobody"');
    expect(readCodebook(core.db)).toEqual(before);
    expect(codebookHistory(core.db).map(({ version, change, author }) => ({ version, change, author }))).toEqual([
      { version: 2, change: 'renamed pov "1st person" to "first person"', author: 'kim' },
      { version: 1, change: 'default codebook', author: null },
    ]);
  });

  it('refuses to remove a category with codes unless they are remapped, then moves them with history', () => {
    const { core, frames } = codedHome();
    saveFrameCodes(core.db, { coderId: 'coder_a', frameId: frames[0]!, codes: { pov: '2nd person', distance: 'Social' } });
    saveFrameCodes(core.db, { coderId: 'coder_a', frameId: frames[1]!, codes: { pov: '2nd person', distance: 'Public' } });
    const second = categoryId(core, 'pov', '2nd person');
    const third = categoryId(core, 'pov', '3rd person');
    const before = readCodebook(core.db);
    const err = expectFramelabError(() => changeCodebook(core.db, { op: 'removeCategory', categoryId: second }), 'CONFLICT');
    expect(err.message).toContain('has 2 codes');
    expect(readCodebook(core.db)).toEqual(before); // nothing changed, no version

    expectFramelabError(
      () => changeCodebook(core.db, { op: 'removeCategory', categoryId: second, remapTo: categoryId(core, 'distance', 'Social') }),
      'INVALID_INPUT',
    );
    const after = changeCodebook(core.db, { op: 'removeCategory', categoryId: second, remapTo: third });
    expect(after.dimensions[0]!.categories.map((c) => c.value)).toEqual(['1st person', '3rd person', 'no person']);
    expect(after.dimensions[0]!.categories.map((c) => c.position)).toEqual([0, 1, 2]);
    const remaps = historyRows(core).filter((h) => h.source === 'remap');
    expect(remaps.map((h) => [h.frame_id, h.before_id, h.after_id])).toEqual([
      [frames[0], second, third],
      [frames[1], second, third],
    ]);
    // The retired category can no longer be coded.
    expectFramelabError(
      () => saveFrameCodes(core.db, { coderId: 'coder_a', frameId: frames[2]!, codes: { pov: '2nd person', distance: 'Social' } }),
      'INVALID_INPUT',
    );
  });

  it('removes an unused category without a remap', () => {
    const core = openTestCore(tempDir('codebook'));
    const book = changeCodebook(core.db, { op: 'removeCategory', categoryId: categoryId(core, 'distance', 'Public') });
    expect(book.dimensions[1]!.categories.map((c) => c.value)).toEqual(['Intimate', 'Personal', 'Social']);
  });

  it('keeps shortcut keys unique across dimensions and keeps reserved keys free', () => {
    const core = openTestCore(tempDir('codebook'));
    const err = expectFramelabError(
      () => changeCodebook(core.db, { op: 'addCategory', dimension: 'distance', value: 'Remote', shortcut: '1', description: '' }),
      'CONFLICT',
    );
    expect(err.message).toContain('pov = "1st person"');
    const parsed = api['codebook.change'].input.safeParse({
      change: { op: 'addCategory', dimension: 'distance', value: 'Remote', shortcut: 'z' },
    });
    expect(parsed.success).toBe(false);
    const blank = api['codebook.change'].input.safeParse({
      change: { op: 'addCategory', dimension: 'distance', value: '   ', shortcut: 'g' },
    });
    expect(blank.success).toBe(false);
    const ok = changeCodebook(core.db, { op: 'addCategory', dimension: 'distance', value: 'Remote', shortcut: 'g', description: '' });
    expect(ok.dimensions[1]!.categories.at(-1)).toMatchObject({ value: 'Remote', shortcut: 'g', position: 4 });
  });

  it('reorders categories and refuses duplicates names within a dimension', () => {
    const core = openTestCore(tempDir('codebook'));
    const publicId = categoryId(core, 'distance', 'Public');
    const book = changeCodebook(core.db, { op: 'moveCategory', categoryId: publicId, position: 0 });
    expect(book.dimensions[1]!.categories.map((c) => c.value)).toEqual(['Public', 'Intimate', 'Personal', 'Social']);
    expectFramelabError(() => changeCodebook(core.db, { op: 'updateCategory', categoryId: publicId, value: 'Social' }), 'CONFLICT');
  });
});
