import type { StateCreator } from 'zustand';
import type { Store } from './index';

/**
 * The Suite area's state (a slice of the one store: it survives switching areas, and
 * resetStore resets it with the rest): the draft config being set up, the open view, and the
 * runs picked for comparison.
 */
export type SuiteView =
  | { kind: 'datasets' }
  | { kind: 'setup' }
  | { kind: 'runs' }
  | { kind: 'live'; jobId: string }
  | { kind: 'detail'; runId: string }
  | { kind: 'compare'; runIds: string[] };

/** The editable parts of a suite config; `buildConfig` turns them into the JSON a run gets. */
export interface SuiteDraft {
  name: string;
  /** Comma-separated. */
  tags: string;
  metadata: string;
  embeddingsPath: string;
  embeddingsIds: string;
  embeddingsKey: string;
  /** One `column = value` per line. */
  filter: string;
  dedupe: boolean;
  dedupeBy: string;
  dedupeLatest: string;
  idColumn: string;
  targetColumn: string;
  transform: 'log1p' | 'none';
  guestColumn: string;
  /** Extra leakage columns, comma-separated. */
  leakage: string;
  /** Columns a leakage name pattern caught that are known at publish time (the config's leakageAllow), comma-separated. */
  leakageAllow: string;
  featureMode: 'default' | 'custom';
  numeric: string[];
  categorical: string[];
  splitKind: 'random' | 'time' | 'group' | 'kfold' | 'group_kfold';
  ratios: [number, number, number];
  k: number;
  splitSeed: number;
  timeColumn: string;
  groupColumn: string;
  models: string[];
  rankMetric: 'rmse_log' | 'mae_log' | 'r2_log' | 'rmse_raw' | 'mae_raw' | 'spearman';
  seed: number;
  bootstrap: number;
  mlpMaxEpochs: string;
}

export const DEFAULT_DRAFT: SuiteDraft = {
  name: '',
  tags: '',
  metadata: '',
  embeddingsPath: '',
  embeddingsIds: '',
  embeddingsKey: '',
  filter: 'horizon_days = 7',
  dedupe: true,
  dedupeBy: 'video_id',
  dedupeLatest: 'captured_at',
  idColumn: 'video_id',
  targetColumn: 'horizon_view_count',
  transform: 'log1p',
  guestColumn: 'channel_id',
  leakage: '',
  leakageAllow: '',
  featureMode: 'default',
  numeric: [],
  categorical: [],
  splitKind: 'random',
  ratios: [0.7, 0.15, 0.15],
  k: 5,
  splitSeed: 42,
  timeColumn: 'captured_at',
  groupColumn: '',
  models: ['mean', 'guest_mean', 'ridge', 'ridge_guestnorm', 'ridge_guestfeat'],
  rankMetric: 'rmse_log',
  seed: 42,
  bootstrap: 1000,
  mlpMaxEpochs: '',
};

export interface SuiteSlice {
  suiteView: SuiteView;
  suiteDraft: SuiteDraft;
  /** Runs ticked in the runs list for comparison. */
  suitePicked: string[];
  openSuite(view: SuiteView): void;
  setSuiteDraft(change: Partial<SuiteDraft>): void;
  toggleSuitePick(runId: string): void;
}

export const createSuiteSlice: StateCreator<Store, [], [], SuiteSlice> = (set) => ({
  suiteView: { kind: 'datasets' },
  suiteDraft: DEFAULT_DRAFT,
  suitePicked: [],
  openSuite: (suiteView) => set({ suiteView }),
  setSuiteDraft: (change) => set((s) => ({ suiteDraft: { ...s.suiteDraft, ...change } })),
  toggleSuitePick: (runId) =>
    set((s) => ({ suitePicked: s.suitePicked.includes(runId) ? s.suitePicked.filter((r) => r !== runId) : [...s.suitePicked, runId] })),
});
