/**
 * The campaign's home invariants catch what they claim to: a torn save, an empty code, a
 * current code that disagrees with its history, a file nobody registered, a registered file gone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { homeProblems } from '../../bench/robustness/homeInvariants';
import { saveFrameCodes } from '../../src/main/core/coding/codes';
import { upsertCoder } from '../../src/main/core/coding/coders';
import { assignFrames } from '../../src/main/core/coding/assignments';
import { storeFile } from '../../src/main/core/workspace/files';
import { addFrames } from '../coding/fixtures';
import { openTestCore, runCleanup, tempDir } from '../helpers';

afterEach(runCleanup);

function codedHome() {
  const core = openTestCore(tempDir());
  const [frameId] = addFrames(core, 'vid_0001', [1, 2]);
  upsertCoder(core.db, { coderId: 'coder_a' });
  assignFrames(core.db, { coderIds: ['coder_a'], overlap: { fraction: 1, seed: 1 } });
  saveFrameCodes(core.db, { coderId: 'coder_a', frameId: frameId!, codes: { pov: '1st person', distance: 'Social' } });
  storeFile(core.db, core.home, 'frames/vid_0001/a.jpg', 'frame', Buffer.from('jpeg'));
  return { core, frameId: frameId! };
}

describe('home invariants', () => {
  it('a home written only through core has no problem', () => {
    const { core } = codedHome();
    expect(homeProblems(core.db, core.home)).toEqual([]);
  });

  it('a (frame, coder) with some dimensions but not all is a half code, and a drift from its history', () => {
    const { core, frameId } = codedHome();
    core.db.prepare("DELETE FROM codes WHERE frame_id = ? AND dimension = 'distance'").run(frameId);
    const problems = homeProblems(core.db, core.home);
    expect(problems.some((p) => p.includes('some dimensions but not all'))).toBe(true);
    expect(problems.some((p) => p.includes('differ from the end of their history'))).toBe(true);
  });

  it('a code whose category is an empty string is reported', () => {
    const { core } = codedHome();
    // The schema refuses an empty category; the campaign checks anyway, so lift the CHECK to plant one.
    core.db.pragma('ignore_check_constraints = ON');
    core.db.prepare("UPDATE categories SET value = '' WHERE dimension = 'pov' AND value = '1st person'").run();
    expect(homeProblems(core.db, core.home).some((p) => p.includes('empty string'))).toBe(true);
  });

  it('a file under files/ that nobody registered, and a registered file that is gone, are reported', () => {
    const { core } = codedHome();
    fs.writeFileSync(path.join(core.home.filesDir, 'frames', 'vid_0001', '.b.x1.tmp.jpg'), 'half');
    fs.rmSync(path.join(core.home.filesDir, 'frames', 'vid_0001', 'a.jpg'));
    const problems = homeProblems(core.db, core.home);
    expect(problems.some((p) => p.includes('do not register') || p.includes('does not register'))).toBe(true);
    expect(problems.some((p) => p.includes('frames/vid_0001/.b.x1.tmp.jpg'))).toBe(true);
    expect(problems.some((p) => p.includes('registered files missing') && p.includes('frames/vid_0001/a.jpg'))).toBe(true);
  });
});
