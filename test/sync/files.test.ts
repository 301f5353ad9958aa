/**
 * What the bucket file can look like: 10,000 rows; a file an old script rewrote (extra
 * columns, other row order, LF, lost rows and blanked cells); the CLI's JSON; videos and frame
 * images from the bucket with a verified cache.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCsv, writeCsv } from '../../src/main/core/annotations/csv';
import { saveFrameCodes } from '../../src/main/core/coding/codes';
import { openCore } from '../../src/main/core/core';
import { nodeForkLauncher } from '../../src/main/core/jobs/launcher';
import { mulberry32, seededShuffle } from '../../src/main/core/random';
import { projectIcrReport } from '../../src/main/core/icr/project';
import { takeSnapshot, listSnapshots } from '../../src/main/core/gold/goldSet';
import { cliEnv, runCli, runCleanup, singleJsonLine, tempDir } from '../helpers';
import { addFrames, csvCodes, DISTANCE, freshBucket, localCodes, localState, openHome, POV, sorted, useStorageServer } from './fixtures';

afterEach(runCleanup);
const server = useStorageServer();

const HEADER = ['frame_id', 'video_id', 'timestamp_s', 'coder', 'pov', 'distance', 'coded_at'];

/** The lab's file with `frames` frames × 2 coders; every 50th distance blank. */
function labFile(frames: number, seed = 1): string {
  const random = mulberry32(seed);
  const rows: string[][] = [HEADER];
  for (let i = 0; i < frames; i++) {
    const video = `vid_${String(Math.floor(i / 50)).padStart(4, '0')}`;
    const t = (i % 50) + 1;
    for (const coder of ['coder_a', 'coder_b']) {
      rows.push([
        `${video}_t${t.toFixed(1).padStart(5, '0')}`,
        video,
        t.toFixed(1),
        coder,
        POV[Math.floor(random() * 4)]!,
        rows.length % 50 === 0 ? '' : DISTANCE[Math.floor(random() * 4)]!,
        '2025-02-19T22:55:20Z',
      ]);
    }
  }
  return writeCsv(rows);
}

describe('the bucket file', () => {
  it('a 10,000-row file comes down whole, a local edit goes up in the same shape, and a round with nothing new uploads nothing', async () => {
    const bucket = freshBucket();
    const text = labFile(5000);
    await server.proxy().write(bucket, 'annotations.csv', text);
    const a = openHome('sync-a', { bucket, keyFile: server.keyFile() });
    let t = performance.now();
    const first = await a.sync.run('manual');
    const down = performance.now() - t;
    expect(first).toMatchObject({ offline: false, downloaded: 10_000, uploaded: 0, conflicts: [] });
    const expected = csvCodes(text);
    expect(first.offline === false && first.merged).toBe(expected.size);
    expect(sorted(localCodes(a))).toEqual(sorted(expected));
    // Blank cells are missing codes: they wait in their coder's re-code queue.
    expect((a.db.prepare('SELECT count(*) AS n FROM recode_queue WHERE resolved_at IS NULL').get() as { n: number }).n).toBe(200);

    saveFrameCodes(a.db, { coderId: 'coder_a', frameId: 'vid_0000_t001.0', codes: { pov: 'no person', distance: 'Public' } });
    t = performance.now();
    const second = await a.sync.run('manual');
    const up = performance.now() - t;
    expect(second).toMatchObject({ offline: false, downloaded: 10_000, uploaded: 10_000, merged: 0 });
    const after = (await server.proxy().read(bucket, 'annotations.csv'))!.text;
    const records = parseCsv(after).records;
    expect(records[0]).toEqual(HEADER);
    expect(records).toHaveLength(10_001);
    expected.set('vid_0000_t001.0|coder_a|pov', 'no person');
    expected.set('vid_0000_t001.0|coder_a|distance', 'Public');
    expect(sorted(csvCodes(after))).toEqual(sorted(expected));
    // Only the edited row differs from the original file.
    const diff = parseCsv(text).records.filter((r, i) => r.join(',') !== records[i]!.join(','));
    expect(diff.map((r) => `${r[0]} ${r[3]}`)).toEqual(['vid_0000_t001.0 coder_a']);

    t = performance.now();
    const third = await a.sync.run('manual');
    const idle = performance.now() - t;
    expect(third).toMatchObject({ offline: false, uploaded: 0, merged: 0 });
    console.log(
      `10,000 rows: first round ${down.toFixed(0)} ms (20,000 codes in), edit round ${up.toFixed(0)} ms (upload), idle round ${idle.toFixed(0)} ms`,
    );
  }, 60_000);

  it('a file an old script rewrote (extra columns, another row order, LF, rows dropped, cells blanked, one code changed) merges without loss', async () => {
    const bucket = freshBucket();
    const a = openHome('sync-a', { bucket, keyFile: server.keyFile() });
    const frames = addFrames(a, 20, ['coder_a', 'coder_b']);
    const random = mulberry32(3);
    for (const f of frames) {
      for (const c of ['coder_a', 'coder_b'])
        saveFrameCodes(a.db, {
          coderId: c,
          frameId: f,
          codes: { pov: POV[Math.floor(random() * 4)]!, distance: DISTANCE[Math.floor(random() * 4)]! },
        });
    }
    await a.sync.run('manual');
    const synced = (await server.proxy().read(bucket, 'annotations.csv'))!.text;
    const [header, ...rows] = parseCsv(synced).records;

    // The old script: its own columns, shuffled rows, 5 rows dropped, a blanked cell, one re-code.
    const col = (name: string) => header!.indexOf(name);
    const script = seededShuffle(rows, 9)
      .slice(5)
      .map((r, i) => {
        const out = [...r, i % 2 ? 'train' : 'test', i === 0 ? 'checked, ok' : ''];
        if (i === 1) out[col('distance')] = '';
        if (i === 2) {
          out[col('pov')] = out[col('pov')] === 'no person' ? '1st person' : 'no person';
          out[col('coded_at')] = '2030-01-01T00:00:00Z';
        }
        return out;
      });
    const changed = script[2]!;
    const edited =
      [...header!, 'split', 'notes'].join(',') +
      '\n' +
      script.map((r) => r.map((c) => (c.includes(',') ? `"${c}"` : c)).join(',')).join('\n') +
      '\n';
    await server.proxy().write(bucket, 'annotations.csv', edited);

    // Meanwhile, a local edit.
    saveFrameCodes(a.db, { coderId: 'coder_b', frameId: frames[0]!, codes: { pov: '3rd person', distance: 'Intimate' } });
    const expected = localCodes(a);
    expected.set(`${changed[col('frame_id')]}|${changed[col('coder')]}|pov`, changed[col('pov')]!);

    const round = await a.sync.run('manual');
    expect(round).toMatchObject({ offline: false, downloaded: 35, uploaded: 40, merged: 1, conflicts: [] });
    const merged = (await server.proxy().read(bucket, 'annotations.csv'))!.text;
    const records = parseCsv(merged).records;
    expect(records[0]).toEqual([...HEADER, 'split', 'notes']);
    expect(sorted(csvCodes(merged))).toEqual(sorted(expected));
    expect(sorted(localCodes(a))).toEqual(sorted(expected));
    // The script's cells stay with their rows; dropped rows come back with empty script cells.
    const byKey = new Map(records.slice(1).map((r) => [`${r[0]}|${r[3]}`, r]));
    for (const r of script) expect(byKey.get(`${r[col('frame_id')]}|${r[col('coder')]}`)!.slice(7)).toEqual(r.slice(7));
    expect(records.slice(1).filter((r) => r[7] === '' && r[8] === '')).toHaveLength(
      5 + script.filter((r) => r[7] === '' && r[8] === '').length,
    );
    // Sorted again, CRLF again; the next round has nothing to do.
    expect(records.slice(1).map((r) => `${r[0]} ${r[3]}`)).toEqual(
      records
        .slice(1)
        .map((r) => `${r[0]} ${r[3]}`)
        .sort(),
    );
    expect(merged.includes('\r\n')).toBe(true);
    expect(await a.sync.run('manual')).toMatchObject({ uploaded: 0, merged: 0 });
  });

  it('reports and snapshots record where their annotations came from', async () => {
    const bucket = freshBucket();
    const a = openHome('sync-a', { bucket, keyFile: server.keyFile() });
    const frames = addFrames(a, 4, ['coder_a', 'coder_b']);
    for (const f of frames)
      for (const c of ['coder_a', 'coder_b'])
        saveFrameCodes(a.db, { coderId: c, frameId: f, codes: { pov: '1st person', distance: 'Social' } });
    const local = projectIcrReport(a.db, { dimension: 'pov', bootstrap: 0, seed: 1, byVideo: false });
    expect(local.annotationsSource).toEqual({ kind: 'local', generation: null, syncedAt: null });
    const round = await a.sync.run('manual');
    const generation = round.offline ? null : round.generation;
    const fromBucket = projectIcrReport(a.db, { dimension: 'pov', bootstrap: 0, seed: 1, byVideo: false });
    expect(fromBucket.annotationsSource).toMatchObject({ kind: 'bucket', generation });
    expect(takeSnapshot(a.db, 'pov').annotationsSource).toMatchObject({ kind: 'bucket', generation });
    server.proxy().mode = 'offline';
    await a.sync.run('manual');
    const stale = takeSnapshot(a.db, 'distance');
    expect(stale.annotationsSource).toMatchObject({ kind: 'local', generation });
    expect(listSnapshots(a.db).map((s) => s.annotationsSource?.kind)).toEqual(expect.arrayContaining(['bucket', 'local']));
  });

  it('framelab sync --json prints the round; offline it prints {"offline":true,"reason"} and exits 3, changing nothing', async () => {
    const bucket = freshBucket();
    const home = tempDir('sync-cli');
    const env = cliEnv({ STORAGE_EMULATOR_HOST: server.proxy().url });
    {
      const core = openCore({ home, mode: 'cli', launcher: nodeForkLauncher() });
      const [f1] = addFrames(core, 2, ['coder_a']);
      saveFrameCodes(core.db, { coderId: 'coder_a', frameId: f1!, codes: { pov: '2nd person', distance: 'Personal' } });
      core.close();
    }
    await server
      .proxy()
      .write(
        bucket,
        'lab/annotations.csv',
        writeCsv([HEADER, ['vid_0001_t002.0', 'vid_0001', '2.0', 'coder_b', 'no person', 'Public', '2025-02-19T22:55:20Z']]),
      );
    const ok = await runCli(['sync', '--bucket', bucket, '--object', 'lab/annotations.csv', '--json', '--home', home], { env });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const result = singleJsonLine(ok.stdout);
    expect(Object.keys(result)).toEqual(['downloaded', 'uploaded', 'merged', 'conflicts', 'generation', 'offline']);
    expect(result).toMatchObject({ downloaded: 1, uploaded: 2, merged: 2, conflicts: [], offline: false });
    expect(result.generation).toBe((await server.proxy().read(bucket, 'lab/annotations.csv'))!.generation);
    expect(typeof result.generation).toBe('string');

    const snapshot = () => {
      const core = openCore({ home, mode: 'cli', launcher: nodeForkLauncher() });
      try {
        return localState(core);
      } finally {
        core.close();
      }
    };
    const before = snapshot();
    server.proxy().mode = 'offline';
    const off = await runCli(['sync', '--json', '--home', home], { env });
    expect(off.code).toBe(3);
    expect(off.stderr).toBe('');
    const offline = singleJsonLine(off.stdout);
    expect(Object.keys(offline)).toEqual(['offline', 'reason']);
    expect(offline.offline).toBe(true);
    expect(offline.reason).toMatch(/^Cannot reach the storage emulator at /);
    expect(snapshot()).toEqual(before);

    const status = await runCli(['sync', 'status', '--json', '--home', home], { env });
    expect(singleJsonLine(status.stdout)).toMatchObject({
      state: 'offline',
      problem: 'offline',
      target: `gs://${bucket}/lab/annotations.csv`,
    });
  }, 60_000);

  it('videos and frame images from the bucket: listed, downloaded once into a cache checked by MD5, frames linked by frame_id', async () => {
    const bucket = freshBucket();
    const a = openHome('sync-a', { bucket, keyFile: server.keyFile(), framesPrefix: 'frames/', videoPrefix: 'videos/' });
    const [f1] = addFrames(a, 2, ['coder_a']);
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7), Buffer.from([0xff, 0xd9])]);
    const upload = (name: string, bytes: Buffer) =>
      fetch(`${server.emulator().url}/upload/storage/v1/b/${bucket}/o?uploadType=media&name=${encodeURIComponent(name)}`, {
        method: 'POST',
        body: new Uint8Array(bytes),
      });
    await upload(`frames/${f1}.jpg`, jpeg);
    await upload('frames/unknown_t009.0.png', jpeg);
    await upload('frames/readme.txt', Buffer.from('not a frame'));
    await upload('videos/vid_0002.mp4', Buffer.alloc(5000, 1));
    const { listBucketEntries, fetchBucketObjects } = await import('../../src/main/core/sync/bucketFiles');
    const client = await a.sync.client(a.sync.settings());

    const listed = await listBucketEntries(a.db, a.home, client, 'frames', 'frames/');
    expect(listed.map((e) => [e.name, e.frameId, e.known, e.cached])).toEqual([
      ['frames/unknown_t009.0.png', 'unknown_t009.0', false, false],
      [`frames/${f1}.jpg`, f1, true, false],
    ]);
    expect(listed.every((e) => e.md5 !== null && e.crc32c !== null)).toBe(true);
    const fetched = await fetchBucketObjects(
      a.db,
      a.home,
      client,
      'frames',
      'frames/',
      listed.map((e) => e.name),
    );
    expect(fetched.linked).toBe(1);
    expect(fetched.files.map((f) => f.downloaded)).toEqual([true, true]);
    expect(fs.readFileSync(fetched.files[1]!.path)).toEqual(jpeg);
    const image = (a.db.prepare('SELECT image_path FROM frames WHERE frame_id = ?').get(f1) as { image_path: string }).image_path;
    expect(fs.readFileSync(path.join(a.home.filesDir, image))).toEqual(jpeg);

    // Cached: not downloaded again; a damaged copy fails its MD5 and is replaced.
    expect((await listBucketEntries(a.db, a.home, client, 'frames', 'frames/')).every((e) => e.cached)).toBe(true);
    expect((await fetchBucketObjects(a.db, a.home, client, 'frames', 'frames/', [`frames/${f1}.jpg`])).files[0]!.downloaded).toBe(false);
    const damaged = Buffer.from(jpeg);
    damaged[100] = 0;
    fs.writeFileSync(fetched.files[1]!.path, damaged);
    expect((await fetchBucketObjects(a.db, a.home, client, 'frames', 'frames/', [`frames/${f1}.jpg`])).files[0]!.downloaded).toBe(true);
    expect(fs.readFileSync(fetched.files[1]!.path)).toEqual(jpeg);

    const videos = await listBucketEntries(a.db, a.home, client, 'videos', 'videos/');
    expect(videos.map((v) => v.name)).toEqual(['videos/vid_0002.mp4']);
    const video = await fetchBucketObjects(a.db, a.home, client, 'videos', 'videos/', ['videos/vid_0002.mp4']);
    expect(fs.statSync(video.files[0]!.path).size).toBe(5000);
  });
});
