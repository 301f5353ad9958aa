import fs from 'node:fs';
import path from 'node:path';
import { loadTrainingAddon } from '../../../../../native/index';
import { FramelabError } from '../../../../shared/errors';
import { appRoot } from '../../appRoot';
import { readSafetensors } from '../../vision/weights/safetensors';
import { SuiteConfig } from '../../../../shared/suite';
import { loadGbdt } from './gbdt';
import { lookupGuestMeans, type GuestMeans } from './guest';
import { fusionScorer, newFusionNet, type FusionSpec } from './fusionMlp';
import { GUEST_FEATURE } from './families';
import { prepareData } from '../data/prepare';
import { transform, type PipelineState } from './preprocess';
import type { FeatureSource } from '../data/suiteData';
import type { ProjectionState } from './projection';
import { predictRidge } from './ridge';
import type { Column, Table } from '../data/table';
import { stateDictToEntries } from '../../vision/weights/stateEntries';

/**
 * Scoring with a saved run model: the state written to models/<name>.json (pipeline medians,
 * scales and categories, Ridge coefficients, guest means and the global mean, the variant)
 * is all a prediction needs, so a new score is computed exactly as at training time.
 */
interface SavedModel {
  model: string;
  state:
    | { kind: 'mean'; mean: number }
    | { kind: 'guest_mean'; guestMeans: GuestMeans }
    | { kind: 'concat_mlp'; pipeline: PipelineState; yMean: number; sizes: number[]; dropout: number }
    | { kind: 'gbdt'; pipeline: PipelineState; projection: ProjectionState | null; bestIteration: number; booster: string }
    | ({ kind: 'gated_fusion_mlp' } & FusionSpec)
    | {
        kind: 'ridge' | 'ridge_guestnorm' | 'ridge_guestfeat';
        pipeline: PipelineState;
        coef: number[];
        intercept: number;
        alpha: number;
        guestMeans?: GuestMeans;
      };
}

export type Scorer = (
  src: FeatureSource,
  guests: readonly string[] | null,
  rows: readonly number[],
) => Float64Array | Promise<Float64Array>;

export function readSavedModel(runDir: string, name: string): SavedModel & { runDir: string } {
  const file = path.join(runDir, 'models', `${name}.json`);
  if (!fs.existsSync(file)) {
    const have = fs.existsSync(path.join(runDir, 'models'))
      ? fs
          .readdirSync(path.join(runDir, 'models'))
          .filter((f) => /^[^.]+\.json$/.test(f))
          .map((f) => f.slice(0, -5))
      : [];
    throw new FramelabError(
      'NOT_FOUND',
      `run ${path.basename(runDir)} has no saved model "${name}"${have.length ? `; it has ${have.join(', ')}` : ' (K-fold runs save per-fold metrics, not models)'}.`,
    );
  }
  return { ...(JSON.parse(fs.readFileSync(file, 'utf8')) as SavedModel), runDir };
}

export function scorerOf(saved: SavedModel & { runDir: string }): Scorer {
  const s = saved.state;
  const needGuests = (g: readonly string[] | null) => {
    if (!g) throw new FramelabError('INVALID_INPUT', `model "${saved.model}" needs the video's guest (channel).`);
    return g;
  };
  if (s.kind === 'mean') return (_src, _g, rows) => new Float64Array(rows.length).fill(s.mean);
  if (s.kind === 'guest_mean') return (_src, g, rows) => lookupGuestMeans(s.guestMeans, needGuests(g), rows);
  if (s.kind === 'concat_mlp') {
    // The network comes back from its safetensors through the same addon that trained it.
    const weights = readSafetensors(path.join(saved.runDir, 'models', `${saved.model}.safetensors`)).tensors;
    const net = loadTrainingAddon(appRoot()).MLP;
    const mlp = new net({ sizes: s.sizes, loss: 'mse', activation: 'gelu', dropout: s.dropout, device: 'cpu' });
    mlp.loadState(stateDictToEntries(weights));
    return async (src, _g, rows) => {
      const out = await mlp.predict(Float32Array.from(transform(s.pipeline, src, rows).data), rows.length);
      return Float64Array.from(out, (v) => v + s.yMean);
    };
  }
  if (s.kind === 'gbdt') {
    // The booster comes back from its UBJSON file through the addon's XGBoost; scoring uses
    // the same rounds as at training time (up to the early-stopping best iteration).
    const score = loadGbdt(fs.readFileSync(path.join(saved.runDir, 'models', s.booster)), s.pipeline, s.projection, s.bestIteration);
    return (src, _g, rows) => score(src, rows);
  }
  if (s.kind === 'gated_fusion_mlp') {
    const weights = readSafetensors(path.join(saved.runDir, 'models', `${saved.model}.safetensors`)).tensors;
    const net = newFusionNet(s, 0);
    net.loadState(stateDictToEntries(weights));
    const scorer = fusionScorer(net, s);
    return (src, _g, rows) => scorer.predict(src, rows);
  }
  const fit = { alpha: s.alpha, coef: Float64Array.from(s.coef), intercept: s.intercept };
  return (src, g, rows) => {
    let source = src;
    if (s.kind === 'ridge_guestfeat') {
      const column = new Float64Array(src.table.rowCount).fill(NaN);
      const values = lookupGuestMeans(s.guestMeans!, needGuests(g), rows);
      rows.forEach((r, i) => (column[r] = values[i]!));
      source = { ...src, extra: new Map([[GUEST_FEATURE, column]]) };
    }
    const pred = predictRidge(fit, transform(s.pipeline, source, rows));
    if (s.kind !== 'ridge_guestnorm') return pred;
    const back = lookupGuestMeans(s.guestMeans!, needGuests(g), rows);
    return pred.map((v, i) => v + back[i]!);
  };
}

/**
 * Scores one video of the run's data (same filter, dedupe and embedding join as training),
 * with `extra` overriding feature values (e.g. a different duration). When the run embedded
 * text, `extra` may also give the video a new text (e.g. `{"title": "..."}`): it is embedded
 * with the run's model folder, which must still be the model the run used. Returns the
 * log-space prediction and, for a log1p target, the views it stands for.
 */
export async function predictVideo(runDir: string, modelName: string, videoId: string, extra: Record<string, string | number | null> = {}) {
  const used = JSON.parse(fs.readFileSync(path.join(runDir, 'config_used.json'), 'utf8')) as {
    config: unknown;
    textModel?: { dir: string; identity: string } | null;
  };
  const config = SuiteConfig.parse(used.config);
  const saved = readSavedModel(runDir, modelName);
  const textColumn = config.text?.column;
  const newText = textColumn !== undefined && textColumn in extra ? extra[textColumn] : undefined;
  const prepared = await prepareData(config, {
    // A run folder is <home>/runs/suite/<runId>: its text vectors are cached in that home.
    homeRoot: path.resolve(runDir, '..', '..', '..'),
    textOverrides: newText !== undefined ? new Map([[videoId, newText === null ? null : String(newText)]]) : undefined,
    embedTextOnlyFor: new Set([videoId]),
  });
  if (used.textModel && prepared.textModel && prepared.textModel.identity !== used.textModel.identity) {
    throw new FramelabError(
      'CONFLICT',
      `the text model folder ${config.text!.model} changed since run ${path.basename(runDir)} was trained (identity ${used.textModel.identity.slice(0, 12)}… then, ${prepared.textModel.identity.slice(0, 12)}… now); put the run's model back or train a new run.`,
    );
  }
  const row = prepared.data.ids.indexOf(videoId);
  if (row < 0)
    throw new FramelabError(
      'NOT_FOUND',
      `video "${videoId}" is not in the run's data (${config.metadata} after its filter, joined to its embeddings).`,
    );
  const featureNames = new Set([...prepared.data.features.numeric, ...prepared.data.features.categorical]);
  const columns = new Map<string, Column>(prepared.table.columns);
  for (const [name, value] of Object.entries(extra)) {
    if (name === textColumn) continue; // already applied: embedded above, text_present follows it
    if (!featureNames.has(name))
      throw new FramelabError('INVALID_INPUT', `"${name}" is not a feature of this model; its features: ${[...featureNames].join(', ')}.`);
    const col = columns.get(name)!;
    if (col.kind === 'numeric') {
      if (value !== null && typeof value !== 'number')
        throw new FramelabError('INVALID_INPUT', `feature "${name}" is numeric; got ${JSON.stringify(value)}.`);
      const values = Float64Array.from(col.values);
      values[row] = value === null ? NaN : value;
      columns.set(name, { kind: 'numeric', values });
    } else {
      const values = [...col.values];
      values[row] = value === null ? null : String(value);
      columns.set(name, { kind: 'text', values });
    }
  }
  const table: Table = { ...prepared.table, columns };
  const pred = (await scorerOf(saved)({ ...prepared.data.src, table }, prepared.data.guests, [row]))[0]!;
  return {
    runId: path.basename(runDir),
    model: modelName,
    videoId,
    yPred: pred,
    viewsPred: config.target.transform === 'log1p' ? Math.expm1(pred) : null,
  };
}
