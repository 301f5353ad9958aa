/**
 * The prediction CSVs' provenance: a `model_predictions.models.json` beside them names the model
 * ids and weight sha256s in column order (the CSVs keep the lab's columns), and `infer export`
 * copies it with them (or writes it from the manifest for a folder saved before it existed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportResults } from '../../src/main/core/infer/exportResults';
import { MODELS_SIDECAR, renderCsvs, type VideoRecord } from '../../src/main/core/infer/outputs';
import { MANIFEST_FILE, modelsSidecar, writeCsvFiles, type InferManifest } from '../../src/main/core/infer/outputState';
import { runCleanup, tempDir } from '../helpers';

afterEach(runCleanup);

const manifest: InferManifest = {
  format: 1,
  models: [
    { id: 'pov@v7', dimension: 'pov', sha256: 'a'.repeat(64), classes: ['1st person', 'no person'], preprocessing: {} },
    { id: 'distance@v8', dimension: 'distance', sha256: 'b'.repeat(64), classes: ['close', 'far'], preprocessing: {} },
  ],
  sampling: { kind: 'every', seconds: 1 },
  shard: null,
};

function outputFolder(withSidecar: boolean): string {
  const dir = path.join(tempDir('infer-sidecar'), 'out');
  fs.mkdirSync(dir);
  const rec: VideoRecord = {
    videoId: 'a',
    path: '/v/a.mp4',
    tenths: [0],
    probabilities: { pov: [[0.9, 0.1]], distance: [[0.2, 0.8]] },
    error: null,
  };
  const columns = manifest.models.map((m) => ({ dimension: m.dimension, classes: m.classes }));
  writeCsvFiles(dir, { ...renderCsvs(columns, [rec]), ...(withSidecar ? modelsSidecar(manifest) : {}) });
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest));
  return dir;
}

describe('infer: the models sidecar', () => {
  it('names every model id and sha256 in column order, with the files it describes, and no time (resumes stay byte-identical)', () => {
    const text = modelsSidecar(manifest)[MODELS_SIDECAR]!;
    const body = JSON.parse(text) as { describes: string[]; models: { id: string; sha256: string }[] };
    expect(MODELS_SIDECAR).toBe('model_predictions.models.json');
    expect(body.describes).toEqual(['model_predictions.csv', 'model_predictions_video.csv']);
    expect(body.models.map((m) => [m.id, m.sha256])).toEqual([
      ['pov@v7', 'a'.repeat(64)],
      ['distance@v8', 'b'.repeat(64)],
    ]);
    expect(modelsSidecar(manifest)[MODELS_SIDECAR]).toBe(text);
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT/);
  });

  it('leaves the CSV columns as the lab scripts read them', () => {
    const dir = outputFolder(true);
    expect(fs.readFileSync(path.join(dir, 'model_predictions.csv'), 'utf8').split('\r\n')[0]).toBe(
      'video_id,frame_id,timestamp_s,pov_pred,pov_conf,pov_p_1st_person,pov_p_no_person,distance_pred,distance_conf,distance_p_close,distance_p_far',
    );
  });

  it('is exported beside the CSVs, byte for byte', () => {
    const dir = outputFolder(true);
    const dest = path.join(path.dirname(dir), 'export');
    const result = exportResults(dir, dest, false);
    expect(result.files.map((f) => f.name)).toEqual(['model_predictions.csv', 'model_predictions_video.csv', 'errors.csv', MODELS_SIDECAR]);
    expect(fs.readFileSync(path.join(dest, MODELS_SIDECAR)).equals(fs.readFileSync(path.join(dir, MODELS_SIDECAR)))).toBe(true);
    // Over an earlier export it asks first, naming the sidecar too.
    expect(() => exportResults(dir, dest, false)).toThrow(/model_predictions\.models\.json/);
    expect(exportResults(dir, dest, true).replaced).toContain(MODELS_SIDECAR);
  });

  it('is written from the manifest when the folder predates it', () => {
    const dir = outputFolder(false);
    const dest = path.join(path.dirname(dir), 'export');
    exportResults(dir, dest, false);
    expect(fs.readFileSync(path.join(dest, MODELS_SIDECAR), 'utf8')).toBe(modelsSidecar(manifest)[MODELS_SIDECAR]);
  });
});
