import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runCleanup, runCli, singleJsonLine, tempDir } from './helpers';

afterEach(runCleanup);

// Real ffmpeg clips, the real import and sampling jobs: slow on a loaded machine.
const DEMO_MS = 300_000;

/** Plain better-sqlite3 on the home's database: what the demo really left there. */
function counts(home: string) {
  const db = new Database(path.join(home, 'framelab.db'), { readonly: true });
  try {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      videos: n('SELECT count(*) AS n FROM videos'),
      framesWithImage: n('SELECT count(*) AS n FROM frames WHERE image_path IS NOT NULL'),
      coders: db.prepare("SELECT coder_id FROM coders WHERE role = 'coder' ORDER BY coder_id").pluck().all(),
      codedByTwo: n('SELECT count(*) AS n FROM (SELECT frame_id FROM codes GROUP BY frame_id HAVING count(DISTINCT coder_id) = 2)'),
      disagreements: n(`SELECT count(*) AS n FROM codes a JOIN codes b ON a.frame_id = b.frame_id AND a.dimension = b.dimension
                        AND a.coder_id < b.coder_id WHERE a.category_id <> b.category_id`),
      adjudications: n('SELECT count(*) AS n FROM adjudications'),
      snapshots: n('SELECT count(*) AS n FROM gold_snapshots'),
      goldItems: n('SELECT count(*) AS n FROM gold_items'),
    };
  } finally {
    db.close();
  }
}

describe('framelab demo', () => {
  it(
    'fills an empty home through the real jobs and core, then refuses to touch it again',
    async () => {
      const home = tempDir('demo');
      const res = await runCli(['demo', '--home', home, '--json'], { timeoutMs: DEMO_MS - 10_000 });
      expect(res.code, res.stderr).toBe(0);
      const out = singleJsonLine(res.stdout);
      expect(out).toMatchObject({ home, videos: 3, coders: ['ana', 'ben', 'lead'], goldSnapshot: expect.stringMatching(/^gold_pov_/) });

      const c = counts(home);
      expect(c.videos).toBe(3);
      expect(c.framesWithImage).toBe(out.frames);
      expect(c.framesWithImage).toBeGreaterThanOrEqual(20);
      expect(c.coders).toEqual(['ana', 'ben']);
      expect(c.codedByTwo).toBe(out.overlapFrames);
      expect(c.codedByTwo).toBeGreaterThanOrEqual(10);
      // Some disagreements, not all: a report with something to adjudicate and a real agreement.
      expect(c.disagreements).toBeGreaterThan(0);
      expect(c.disagreements).toBeLessThan(c.codedByTwo);
      expect(c.adjudications).toBe(out.adjudicated);
      expect(c.adjudications).toBeGreaterThan(0);
      expect(c.snapshots).toBe(1);
      expect(c.goldItems).toBeGreaterThan(0);
      for (const clip of out.clips as string[]) expect(fs.statSync(clip).size).toBeGreaterThan(0);

      // The plain-words run says what to type next; a second run changes nothing.
      const before = fs.statSync(path.join(home, 'framelab.db')).size;
      const again = await runCli(['demo', '--home', home]);
      expect(again.stdout).toBe('');
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already holds 3 videos.*nothing was changed/);
      expect(counts(home)).toEqual(c);
      expect(fs.statSync(path.join(home, 'framelab.db')).size).toBe(before);
    },
    DEMO_MS,
  );
});
