import { useState } from 'react';
import { RANK_METRICS, SUITE_MODELS } from '../../../shared/suite';
import type { DatasetPreview } from '../../../shared/suiteViews';
import { useStore } from '../../store';
import { notifyError } from '../../store/notifyError';
import { buildConfig, parseFilter } from './config';
import { METRIC_LABEL } from './format';
import type { SuiteDraft } from '../../store/suiteSlice';
import { startJob } from '../../store/actions';

const MODEL_NOTE: Record<string, string> = {
  mean: 'baseline: the training mean',
  guest_mean: "baseline: the channel's training mean",
  ridge: 'Ridge, alpha by inner CV',
  ridge_guestnorm: 'Ridge on y − guest mean',
  ridge_guestfeat: 'Ridge with the guest mean as a feature',
  gbdt: 'gradient boosting',
  concat_mlp: 'MLP 1024-512-256 (LibTorch)',
  gated_fusion_mlp: 'gated-fusion MLP',
};

const SPLIT_LABEL: Record<SuiteDraft['splitKind'], string> = {
  random: 'random (seeded)',
  time: 'chronological',
  group: 'grouped by channel',
  kfold: 'K-fold CV',
  group_kfold: 'grouped K-fold CV',
};

type PreviewColumn = DatasetPreview['columns'][number];

/** Roles the preview excluded for a reason a model would exploit (not leakage: that one can never be picked). */
const EXCLUDED_ROLES = new Set<PreviewColumn['role']>(['id', 'time', 'high_cardinality']);

const featureKey = (c: PreviewColumn): 'numeric' | 'categorical' => (c.type === 'text' ? 'categorical' : 'numeric');

function FeatureCheck({ column: c, checked, onChange }: { column: PreviewColumn; checked: boolean; onChange: (on: boolean) => void }) {
  const leak = c.role === 'leakage';
  const excluded = EXCLUDED_ROLES.has(c.role);
  return (
    <label className={`check ${leak ? 'leak' : ''} ${excluded ? 'excluded' : ''}`} title={c.reason ?? ''} data-column={c.name}>
      <input
        type="checkbox"
        aria-label={`Feature ${c.name}`}
        disabled={leak}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
      />{' '}
      <span className="mono">{c.name}</span>{' '}
      <span className="small muted">
        {leak ? (c.pattern ? `leakage (${c.pattern})` : 'leakage') : excluded ? `excluded: ${c.reason ?? c.role}` : featureKey(c)}
      </span>
    </label>
  );
}

/**
 * Run setup: target, features (the defaults the leakage guard chose, or a custom pick from
 * the previewed columns), split, models, rank metric; shows the exact JSON config the run
 * gets (copyable for `framelab suite train --config`), and launches it as a suite.run job.
 */
export function RunSetup({ preview }: { preview: DatasetPreview | null }) {
  const draft = useStore((s) => s.suiteDraft);
  const setDraft = useStore((s) => s.setSuiteDraft);
  const open = useStore((s) => s.openSuite);
  const upsertJob = useStore((s) => s.upsertJob);
  const [copied, setCopied] = useState(false);
  const config = buildConfig(draft);
  const json = JSON.stringify(config, null, 2);
  const kfold = draft.splitKind === 'kfold' || draft.splitKind === 'group_kfold';
  const ratioSum = draft.ratios.reduce((a, b) => a + b, 0);
  const problems = [
    !draft.metadata.trim() && 'pick a metadata table in Datasets',
    draft.models.length === 0 && 'pick at least one model',
    !kfold && Math.abs(ratioSum - 1) > 1e-6 && `the ratios add up to ${ratioSum.toFixed(3)}, not 1`,
    draft.featureMode === 'custom' &&
      draft.numeric.length + draft.categorical.length === 0 &&
      'pick at least one feature (or use the defaults)',
    ...parseFilter(draft.filter).problems,
  ].filter((p): p is string => Boolean(p));

  const launch = async () => {
    try {
      const { job } = await startJob({ kind: 'suite.run', params: { config, configFile: null } });
      upsertJob(job);
      open({ kind: 'live', jobId: job.id });
    } catch (err) {
      notifyError(err);
    }
  };

  const copy = () => {
    void navigator.clipboard?.writeText(json).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };

  const toggle = (key: 'models' | 'numeric' | 'categorical', value: string, on: boolean) =>
    setDraft({ [key]: on ? [...draft[key], value] : draft[key].filter((v) => v !== value) } as Partial<SuiteDraft>);

  const candidates = preview?.columns.filter((c) => c.role !== 'target' && c.role !== 'guest') ?? [];
  // Features the preview chose, columns it left out only because they were not listed, and leakage (shown, never pickable);
  // ids, dates and high-cardinality columns apart, behind a warning.
  const features = candidates.filter((c) => !EXCLUDED_ROLES.has(c.role));
  const excludedColumns = candidates.filter((c) => EXCLUDED_ROLES.has(c.role));
  const pickedExcluded = excludedColumns.filter((c) => draft[featureKey(c)].includes(c.name));
  const num = (key: 'k' | 'splitSeed' | 'seed' | 'bootstrap', label: string, min = 0) => (
    <label>
      {label}
      <input type="number" aria-label={label} min={min} value={draft[key]} onChange={(e) => setDraft({ [key]: Number(e.target.value) })} />
    </label>
  );

  return (
    <div className="suite-setup">
      <article className="card">
        <h2>Run setup</h2>
        <form className="form" aria-label="Run setup" onSubmit={(e) => (e.preventDefault(), void launch())}>
          <fieldset>
            <legend>Target</legend>
            <label>
              Column
              <input aria-label="Target column" value={draft.targetColumn} onChange={(e) => setDraft({ targetColumn: e.target.value })} />
            </label>
            <label>
              Transform
              <select
                aria-label="Transform"
                value={draft.transform}
                onChange={(e) => setDraft({ transform: e.target.value as SuiteDraft['transform'] })}
              >
                <option value="log1p">log1p (views)</option>
                <option value="none">none</option>
              </select>
            </label>
            <label>
              Run name
              <input aria-label="Run name" value={draft.name} onChange={(e) => setDraft({ name: e.target.value })} placeholder="optional" />
            </label>
            <label>
              Tags
              <input
                aria-label="Tags"
                value={draft.tags}
                onChange={(e) => setDraft({ tags: e.target.value })}
                placeholder="comma-separated, optional"
              />
            </label>
          </fieldset>
          <fieldset>
            <legend>Features</legend>
            <label className="check">
              <input
                type="radio"
                name="features"
                checked={draft.featureMode === 'default'}
                onChange={() => setDraft({ featureMode: 'default' })}
              />{' '}
              Defaults (every column the leakage guard lets through)
            </label>
            <label className="check">
              <input
                type="radio"
                name="features"
                checked={draft.featureMode === 'custom'}
                onChange={() => setDraft({ featureMode: 'custom' })}
              />{' '}
              Custom
            </label>
          </fieldset>
          {draft.featureMode === 'custom' &&
            (preview ? (
              <div className="wide feature-pick" data-testid="feature-pick">
                {features.map((c) => (
                  <FeatureCheck
                    key={c.name}
                    column={c}
                    checked={draft[featureKey(c)].includes(c.name)}
                    onChange={(on) => toggle(featureKey(c), c.name, on)}
                  />
                ))}
                {excludedColumns.length > 0 && (
                  <details className="wide" data-testid="excluded-columns" open={pickedExcluded.length > 0}>
                    <summary>
                      {excludedColumns.length} column{excludedColumns.length === 1 ? '' : 's'} the preview excluded (ids, dates, too many
                      values)
                    </summary>
                    <p className="small muted">
                      A model would memorise an id or learn how old a video is from a date; pick one only if you know why.
                    </p>
                    {excludedColumns.map((c) => (
                      <FeatureCheck
                        key={c.name}
                        column={c}
                        checked={draft[featureKey(c)].includes(c.name)}
                        onChange={(on) => toggle(featureKey(c), c.name, on)}
                      />
                    ))}
                  </details>
                )}
                {pickedExcluded.length > 0 && (
                  <p className="feature-warning small wide" role="note" data-testid="feature-warning">
                    {pickedExcluded.map((c) => `${c.name} (${c.reason ?? c.role})`).join('; ')}: excluded by the preview, picked anyway. The
                    run will use {pickedExcluded.length === 1 ? 'it' : 'them'} as {pickedExcluded.length === 1 ? 'a feature' : 'features'};
                    check the leaderboard against a run without.
                  </p>
                )}
              </div>
            ) : (
              <p className="muted wide">Preview the data in Datasets first: custom features are picked from its columns.</p>
            ))}
          <fieldset>
            <legend>Split</legend>
            <label>
              Kind
              <select
                aria-label="Split kind"
                value={draft.splitKind}
                onChange={(e) => setDraft({ splitKind: e.target.value as SuiteDraft['splitKind'] })}
              >
                {Object.entries(SPLIT_LABEL).map(([k, label]) => (
                  <option key={k} value={k}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            {kfold
              ? num('k', 'Folds (k)', 2)
              : (['train', 'val', 'test'] as const).map((name, i) => (
                  <label key={name}>
                    {name} ratio
                    <input
                      type="number"
                      step={0.05}
                      min={0}
                      max={1}
                      aria-label={`${name} ratio`}
                      value={draft.ratios[i]}
                      onChange={(e) =>
                        setDraft({ ratios: draft.ratios.map((r, j) => (j === i ? Number(e.target.value) : r)) as SuiteDraft['ratios'] })
                      }
                    />
                  </label>
                ))}
            {num('splitSeed', 'Split seed')}
            {draft.splitKind === 'time' && (
              <label>
                Time column
                <input aria-label="Time column" value={draft.timeColumn} onChange={(e) => setDraft({ timeColumn: e.target.value })} />
              </label>
            )}
            {(draft.splitKind === 'group' || draft.splitKind === 'group_kfold') && (
              <label>
                Group column
                <input
                  aria-label="Group column"
                  value={draft.groupColumn}
                  placeholder={draft.guestColumn || 'channel_id'}
                  onChange={(e) => setDraft({ groupColumn: e.target.value })}
                />
              </label>
            )}
          </fieldset>
          <fieldset>
            <legend>Models</legend>
            {SUITE_MODELS.map((m) => (
              <label key={m} className="check" title={MODEL_NOTE[m]}>
                <input
                  type="checkbox"
                  aria-label={m}
                  checked={draft.models.includes(m)}
                  onChange={(e) => toggle('models', m, e.target.checked)}
                />{' '}
                <span className="mono">{m}</span>
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Evaluation</legend>
            <label>
              Rank by (validation)
              <select
                aria-label="Rank metric"
                value={draft.rankMetric}
                onChange={(e) => setDraft({ rankMetric: e.target.value as SuiteDraft['rankMetric'] })}
              >
                {RANK_METRICS.map((m) => (
                  <option key={m} value={m}>
                    {METRIC_LABEL[m]}
                  </option>
                ))}
              </select>
            </label>
            {num('bootstrap', 'Bootstrap resamples', 10)}
            {num('seed', 'Seed')}
            <label>
              MLP max epochs
              <input
                aria-label="MLP max epochs"
                value={draft.mlpMaxEpochs}
                placeholder="40"
                onChange={(e) => setDraft({ mlpMaxEpochs: e.target.value })}
              />
            </label>
          </fieldset>
          {problems.map((p) => (
            <p key={p} className="bad small wide">
              {p}
            </p>
          ))}
          <div className="wide actions">
            <button type="submit" className="primary" disabled={problems.length > 0}>
              Start run
            </button>
          </div>
        </form>
      </article>
      <article className="card">
        <h2>Config</h2>
        <p className="small muted">
          The run gets exactly this JSON. Save it as a file to run the same suite from the command line:{' '}
          <code>npx framelab suite train --config suite.json --json</code>
        </p>
        <pre className="config-json" data-testid="config-json">
          {json}
        </pre>
        <button type="button" onClick={copy}>
          {copied ? 'Copied' : 'Copy JSON'}
        </button>
      </article>
    </div>
  );
}
