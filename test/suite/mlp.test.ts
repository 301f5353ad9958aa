import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNativeAddon } from '../../native/loader';
import { appRoot } from '../../src/main/core/appRoot';
import { SuiteConfig } from '../../src/shared/suite';
import { resolveConfigPaths } from '../../src/main/core/suite/data/prepare';
import { runSuite } from '../../src/main/core/suite/runs/run';
import { predictVideo } from '../../src/main/core/suite/models/saved';
import { writeHorizonFixture } from './horizonFixture';

const quiet = { progress: () => {}, throwIfCancelled: () => {} };
const addonBuilt = loadNativeAddon(appRoot()).available;

describe('concat MLP through the LibTorch addon', () => {
  it.skipIf(!addonBuilt)(
    'trains with early stopping, beats the mean, saves curves and weights, scores again identically, and is seeded',
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suite-mlp-'));
      writeHorizonFixture(dir, 200);
      const config = resolveConfigPaths(
        SuiteConfig.parse({
          metadata: 'meta.csv',
          embeddings: { path: 'emb.npy', ids: 'ids.txt' },
          filter: { horizon_days: 7 },
          dedupe: { by: 'video_id', latest: 'captured_at' },
          guestColumn: 'channel_id',
          models: ['mean', 'concat_mlp'],
          mlp: { hidden: [64, 32], maxEpochs: 30, patience: 5, threads: 1, lr: 0.003 },
          seed: 7,
        }),
        dir,
      );
      const home = path.join(dir, 'home');
      const a = await runSuite(config, home, quiet);
      const board = Object.fromEntries(a.leaderboard.map((r) => [r.model, r]));
      expect(board.concat_mlp!.val.rmse_log).toBeLessThan(board.mean!.val.rmse_log);
      const curve = fs.readFileSync(path.join(a.runDir, 'curves/concat_mlp.csv'), 'utf8').trim().split('\n');
      expect(curve[0]).toBe('epoch,train_loss,val_rmse');
      expect(curve.length - 1).toBeGreaterThan(1);
      expect(curve.length - 1).toBeLessThanOrEqual(30);
      expect(fs.existsSync(path.join(a.runDir, 'models/concat_mlp.safetensors'))).toBe(true);
      const line = fs
        .readFileSync(path.join(a.runDir, 'predictions/test.csv'), 'utf8')
        .split('\n')
        .find((l) => l.startsWith('concat_mlp,'))!;
      const [, videoId, , yPred] = line.split(',');
      expect((await predictVideo(a.runDir, 'concat_mlp', videoId!)).yPred).toBeCloseTo(Number(yPred), 5);
      const b = await runSuite(config, home, quiet);
      expect(fs.readFileSync(path.join(b.runDir, 'predictions/test.csv'), 'utf8')).toBe(
        fs.readFileSync(path.join(a.runDir, 'predictions/test.csv'), 'utf8'),
      );
    },
    240_000,
  );
});
