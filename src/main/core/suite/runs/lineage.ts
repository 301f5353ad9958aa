/**
 * What binds a registered suite model to what it was trained on (the lab's spec §11–§13: a
 * model version → run id, horizon, feature-set version): the horizon the run's filter chose,
 * a hash of the feature set (the columns and vectors a scorer must supply, in order), a
 * fingerprint of the training data itself, and the git commit of the code that trained it.
 * Two runs with the same feature-set hash take the same inputs; two with the same data
 * fingerprint saw the same rows, targets and feature values.
 */
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { SuiteConfig, SuiteLineage } from '../../../../shared/suite';
import type { SuiteData } from '../data/suiteData';

/** "7d" for a run filtered to `horizon_days: 7` (the lab's two horizons are 7 and 30); null when the run mixes horizons. */
export function horizonOf(config: Pick<SuiteConfig, 'filter'>): string | null {
  const days = config.filter?.horizon_days;
  if (days === undefined) return null;
  const n = Number(days);
  return Number.isFinite(n) ? `${n}d` : String(days);
}

const sha256 = (hash: crypto.Hash) => hash.digest('hex');

/** The inputs a model of this run consumes, in the order it consumes them. */
export function featureSetHash(config: SuiteConfig, data: SuiteData): string {
  const spec = {
    numeric: data.features.numeric,
    categorical: data.features.categorical,
    embeddingDim: data.src.embeddingDim,
    modalities: data.src.modalities?.map((m) => ({ name: m.name, dim: m.dim })) ?? null,
    text: config.text ? { column: config.text.column } : null,
    guestColumn: config.guestColumn ?? null,
    target: config.target,
  };
  return sha256(crypto.createHash('sha256').update(JSON.stringify(spec)));
}

/**
 * The rows as the models saw them: ids, targets, every feature's values and the embedding
 * vectors, in row order. A changed value anywhere (a re-scraped count, a new embedding) changes it.
 */
export function dataFingerprint(data: SuiteData): string {
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify(data.ids));
  hash.update(new Uint8Array(data.y.buffer, data.y.byteOffset, data.y.byteLength));
  for (const name of [...data.features.numeric, ...data.features.categorical]) {
    const col = data.src.table.columns.get(name);
    if (!col) continue; // computed per run (guest features): derived from the rows hashed here
    hash.update(name);
    if (col.kind === 'numeric') hash.update(new Uint8Array(col.values.buffer, col.values.byteOffset, col.values.byteLength));
    else hash.update(JSON.stringify(col.values));
  }
  const emb = data.src.embeddings;
  if (emb) hash.update(new Uint8Array(emb.buffer, emb.byteOffset, emb.byteLength));
  for (const m of data.src.modalities ?? []) {
    hash.update(m.name);
    hash.update(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength));
    hash.update(m.present);
  }
  return sha256(hash);
}

/**
 * The commit of the checkout the app runs from, with `dirty` when it has uncommitted changes
 * (a run from a modified tree cannot be reproduced from the commit alone); null outside a
 * checkout (a packaged app) or without git.
 */
export function gitCommit(root: string): { sha: string; dirty: boolean } | null {
  if (!fs.existsSync(path.join(root, '.git'))) return null;
  try {
    const run = (...args: string[]) =>
      execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const sha = run('rev-parse', 'HEAD');
    if (!/^[0-9a-f]{40}$/.test(sha)) return null;
    return { sha, dirty: run('status', '--porcelain', '--untracked-files=no').length > 0 };
  } catch {
    return null;
  }
}

export function runLineage(config: SuiteConfig, data: SuiteData, root: string): SuiteLineage {
  return {
    horizon: horizonOf(config),
    featureSetHash: featureSetHash(config, data),
    dataFingerprint: dataFingerprint(data),
    git: gitCommit(root),
  };
}
