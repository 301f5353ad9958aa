import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importAnnotations } from '../../src/main/core/annotations/importAnnotations';
import { countImagesMissing } from '../../src/main/core/annotations/images';
import type { IntegrityReport } from '../../src/shared/jobs';
import { openTestCore, runCleanup, tempDir } from '../helpers';

afterEach(runCleanup);

const SAMPLE = path.resolve(__dirname, '../annotations/fixtures/annotations_sample.csv');
const VID_0007 = ['vid_0007_t001.0', 'vid_0007_t004.0', 'vid_0007_t007.0', 'vid_0007_t010.0'];

describe('frames of an annotations file link to an imported video', () => {
  it('extracts the images those frames lack from the video whose id matches, once', async () => {
    const core = openTestCore(tempDir('link'));
    const report = importAnnotations(core.db, core.home, { file: SAMPLE });
    expect(report.errors).toEqual([]);
    expect(countImagesMissing(core.db, VID_0007)).toBe(4);
    const codesBefore = core.db.prepare('SELECT frame_id, coder_id, dimension, category_id FROM codes ORDER BY 1, 2, 3').all();

    // The lab's video file arrives later: its name gives the id the annotations used.
    const clip = path.join(tempDir('clips'), 'vid_0007.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=duration=12:size=160x120:rate=5', '-pix_fmt', 'yuv420p', clip]);
    const imported = await core.jobs.waitFor(core.jobs.start('media.import', { paths: [clip] }).id);
    expect(imported.status).toBe('succeeded');

    const linked = await core.jobs.waitFor(core.jobs.start('frames.sample', { strategy: { kind: 'existing' }, videoIds: ['vid_0007'] }).id);
    expect(linked.status).toBe('succeeded');
    const result = linked.result as { sampled: number; new: number };
    expect(result).toMatchObject({ sampled: 4, new: 0 });
    expect(countImagesMissing(core.db, VID_0007)).toBe(0);
    for (const frameId of VID_0007) {
      const row = core.db.prepare('SELECT image_path FROM frames WHERE frame_id = ?').get(frameId) as { image_path: string };
      expect(fs.existsSync(path.join(core.home.filesDir, row.image_path))).toBe(true);
    }
    // Codes were untouched, and the stored images pass the integrity check.
    expect(core.db.prepare('SELECT frame_id, coder_id, dimension, category_id FROM codes ORDER BY 1, 2, 3').all()).toEqual(codesBefore);
    const check = await core.jobs.waitFor(core.jobs.start('workspace.integrity', {}).id);
    expect((check.result as IntegrityReport).ok).toBe(true);

    // Running it again extracts nothing.
    const again = await core.jobs.waitFor(core.jobs.start('frames.sample', { strategy: { kind: 'existing' }, videoIds: ['vid_0007'] }).id);
    expect(again.result).toMatchObject({ sampled: 4, new: 0 });
  });
});
