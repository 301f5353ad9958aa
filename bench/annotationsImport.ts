/**
 * Import of a 10,000-row annotations.csv (validation, one transaction, history, re-code queue)
 * in rows/s, beside a plain CSV parse of the same file (split on lines and commas: the floor
 * any import must pay to read the file).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importAnnotations } from '../src/main/core/annotations/importAnnotations';
import { openCore } from '../src/main/core/core';
import { nodeForkLauncher } from '../src/main/core/jobs/launcher';

const POV = ['1st person', '2nd person', '3rd person', 'no person'];
const DISTANCE = ['Intimate', 'Personal', 'Social', 'Public'];

function syntheticCsv(rows: number): string {
  const lines = ['frame_id,video_id,timestamp_s,coder,pov,distance,coded_at'];
  for (let i = 0; i < rows; i++) {
    const frame = Math.floor(i / 2);
    const video = `vid_${String(Math.floor(frame / 20)).padStart(4, '0')}`;
    const t = (frame % 20) + 1;
    const frameId = `${video}_t${t.toFixed(1).padStart(5, '0')}`;
    // One blank in 50 cells, as the old form left them.
    const pov = i % 50 === 7 ? '' : POV[(i * 7) % 4]!;
    const distance = i % 50 === 13 ? '' : DISTANCE[(i * 3) % 4]!;
    lines.push(`${frameId},${video},${t.toFixed(1)},coder_${i % 2 ? 'b' : 'a'},${pov},${distance},2025-02-19T21:33:00Z`);
  }
  return lines.join('\n') + '\n';
}

export async function annotationsImportBench(rows = 10_000): Promise<{ importRowsPerS: number; parseRowsPerS: number }> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'framelab-bench-csv-'));
  const file = path.join(home, 'annotations.csv');
  fs.writeFileSync(file, syntheticCsv(rows));
  const core = openCore({ home: path.join(home, 'home'), mode: 'cli', launcher: nodeForkLauncher() });
  try {
    const start = process.hrtime.bigint();
    const report = importAnnotations(core.db, core.home, { file });
    const importS = Number(process.hrtime.bigint() - start) / 1e9;
    if (report.errors.length || report.rows !== rows) throw new Error(`bench import failed: ${JSON.stringify(report.errors.slice(0, 3))}`);

    const parseStart = process.hrtime.bigint();
    const parsed = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(','));
    const parseS = Number(process.hrtime.bigint() - parseStart) / 1e9;
    if (parsed.length !== rows + 1) throw new Error('plain parse miscounted');
    return { importRowsPerS: rows / importS, parseRowsPerS: rows / parseS };
  } finally {
    core.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}
