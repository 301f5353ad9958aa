/**
 * A small, real project for model tests: frames rendered here (each class its own colour
 * family, with noise, so a fine-tuned head can learn them), two coders who agree, a gold
 * snapshot, and a seeded full-size ResNet-50 imported as `<dimension>@v7`.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { expect } from 'vitest';
import { importAnnotations } from '../../src/main/core/annotations/importAnnotations';
import type { Core } from '../../src/main/core/core';
import { takeSnapshot } from '../../src/main/core/gold/goldSet';
import { mulberry32 } from '../../src/main/core/random';
import { writeSeededResNet50 } from './python';

export const POV_CLASSES = ['1st person', '2nd person', '3rd person', 'no person'];

const BASE_COLOURS: [number, number, number][] = [
  [220, 40, 40],
  [40, 200, 60],
  [40, 60, 220],
  [200, 200, 200],
];

export interface GoldHome {
  snapshotId: string;
  frameIds: string[];
  labels: number[];
  v7File: string;
}

/** `videos` × `perVideo` frames; frame k of video v has class (v + k) % 4. */
export async function buildGoldHome(
  core: Core,
  dir: string,
  options: { videos?: number; perVideo?: number; seed?: number } = {},
): Promise<GoldHome> {
  const videos = options.videos ?? 4;
  const perVideo = options.perVideo ?? 3;
  const rng = mulberry32(options.seed ?? 1);
  const framesDir = path.join(dir, 'frames');
  fs.mkdirSync(framesDir, { recursive: true });
  const rows = ['frame_id,video_id,timestamp_s,coder,pov,distance,coded_at'];
  const frameIds: string[] = [];
  const labels: number[] = [];
  for (let v = 0; v < videos; v++) {
    for (let k = 0; k < perVideo; k++) {
      const label = (v + k) % POV_CLASSES.length;
      const t = 2 * k + 1;
      const videoId = `vid_${String(v).padStart(4, '0')}`;
      const frameId = `${videoId}_t${t.toFixed(1).padStart(5, '0')}`;
      const [w, h] = [96 + 8 * v, 72 + 4 * k];
      const raw = Buffer.alloc(w * h * 3);
      const base = BASE_COLOURS[label]!;
      for (let i = 0; i < w * h; i++)
        for (let c = 0; c < 3; c++) raw[i * 3 + c] = Math.max(0, Math.min(255, base[c]! + Math.round((rng() - 0.5) * 80)));
      await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
        .png()
        .toFile(path.join(framesDir, `${frameId}.png`));
      for (const coder of ['coder_a', 'coder_b'])
        rows.push(`${frameId},${videoId},${t}.0,${coder},${POV_CLASSES[label]},Public,2025-02-19T22:55:20Z`);
      frameIds.push(frameId);
      labels.push(label);
    }
  }
  const csv = path.join(dir, 'annotations.csv');
  fs.writeFileSync(csv, `${rows.join('\n')}\n`);
  const report = importAnnotations(core.db, core.home, { file: csv, framesDir });
  expect(report.errors).toEqual([]);
  expect(report.imagesMissing).toBe(0);
  const snapshot = takeSnapshot(core.db, 'pov');
  const v7File = path.join(dir, 'pov_resnet50_v7.pth');
  writeSeededResNet50(v7File, POV_CLASSES.length, options.seed ?? 1);
  const job = core.jobs.start('models.import', { file: v7File, dimension: 'pov', version: 'v7', classes: POV_CLASSES });
  const done = await core.jobs.waitFor(job.id);
  expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
  return { snapshotId: snapshot.id, frameIds, labels, v7File };
}
