import { useEffect, useMemo, useState } from 'react';
import { CV_CHOICES, FinetuneRecipe, type FinetuneParams } from '../../../shared/finetune';
import { defaultNewVersion } from '../../../shared/finetuneRuns';
import type { GoldSnapshotSummary } from '../../../shared/gold';
import type { ModelSummary } from '../../../shared/models';
import { useStore } from '../../store';
import { notifyError } from '../../store/notifyError';
import { CV_LABEL } from './format';
import { listModels } from '../../store/modelsActions';
import { listGold } from '../../store/reliabilityActions';
import { startJob } from '../../store/actions';

/** The lab's recipe (docs/reference.md §2), shown as the starting values. */
const DEFAULTS = FinetuneRecipe.parse({});

type Text<T> = { [K in keyof T]: string };
const asText = (recipe: FinetuneRecipe): Text<FinetuneRecipe> =>
  Object.fromEntries(Object.entries(recipe).map(([k, v]) => [k, String(v)])) as Text<FinetuneRecipe>;

const NUMERIC = ['lr', 'batchSize', 'maxEpochs', 'patience', 'seed', 'threads'] as const;

/**
 * A new fine-tune: gold snapshot, dimension, base model, the recipe (the lab's defaults, all
 * editable), cross-validation, version, metric, output folder. Start runs `finetune.run`.
 */
export function FinetuneForm() {
  const openFinetuneRun = useStore((s) => s.openFinetuneRun);
  const upsertJob = useStore((s) => s.upsertJob);
  const modelsVersion = useStore((s) => s.topicVersions.models ?? 0);
  const goldVersion = useStore((s) => s.topicVersions.gold ?? 0);
  const [models, setModels] = useState<ModelSummary[] | null>(null);
  const [snapshots, setSnapshots] = useState<GoldSnapshotSummary[] | null>(null);
  const [dimension, setDimension] = useState('');
  const [baseModel, setBaseModel] = useState('');
  const [snapshot, setSnapshot] = useState('');
  const [recipe, setRecipe] = useState(asText(DEFAULTS));
  const [cv, setCv] = useState<FinetuneParams['cv']>('loo');
  const [version, setVersion] = useState('');
  const [metric, setMetric] = useState<FinetuneParams['metric']>('macro_f1');
  const [requireSignificant, setRequireSignificant] = useState(false);
  const [outDir, setOutDir] = useState('');
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    listModels({}).then(({ models: list }) => setModels(list), notifyError);
  }, [modelsVersion]);
  useEffect(() => {
    listGold({}).then(({ snapshots: list }) => setSnapshots(list), notifyError);
  }, [goldVersion]);

  const dimensions = useMemo(() => [...new Set((models ?? []).map((m) => m.dimension))], [models]);
  const chosenDimension = dimension || dimensions[0] || '';
  const bases = (models ?? []).filter((m) => m.dimension === chosenDimension);
  // By default the dimension's active model, else its newest.
  const base = bases.find((m) => m.id === baseModel) ?? bases.find((m) => m.active) ?? bases.at(-1);
  const goldOfDimension = (snapshots ?? []).filter((s) => s.dimension === chosenDimension);
  const gold = goldOfDimension.find((s) => s.id === snapshot) ?? goldOfDimension[0];
  const nextVersion = base ? defaultNewVersion(base.version) : null;
  const newId = base ? `${base.dimension}@${version.trim() || nextVersion || '?'}` : null;
  const taken = newId !== null && (models ?? []).some((m) => m.id === newId);

  const setField = (key: keyof FinetuneRecipe) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setRecipe((r) => ({ ...r, [key]: e.target.value }));

  const start = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!base || !gold) return;
    const params: FinetuneParams = {
      goldSnapshotId: gold.id,
      baseModel: base.id,
      cv,
      version: version.trim() || undefined,
      metric,
      requireSignificant,
      recipe: {
        ...DEFAULTS,
        optimizer: recipe.optimizer as FinetuneRecipe['optimizer'],
        classWeights: recipe.classWeights as FinetuneRecipe['classWeights'],
        ...Object.fromEntries(NUMERIC.map((k) => [k, Number(recipe[k])])),
      },
      bootstrapResamples: 2000,
      outDir: outDir.trim() || undefined,
    };
    setStarting(true);
    try {
      const { job } = await startJob({ kind: 'finetune.run', params });
      upsertJob(job);
      openFinetuneRun(job.id);
    } catch (err) {
      notifyError(err);
    } finally {
      setStarting(false);
    }
  };

  if (models === null || snapshots === null) return <p className="loading">Loading…</p>;
  if (models.length === 0) {
    return <p className="empty">No model to start from: import the base model (e.g. pov_resnet50_v7.pth) on the Models screen first.</p>;
  }

  return (
    <form className="form finetune-form" aria-label="New fine-tune" onSubmit={(e) => void start(e)}>
      <fieldset>
        <legend>What to fine-tune</legend>
        <label>
          Dimension
          <select aria-label="Dimension" value={chosenDimension} onChange={(e) => setDimension(e.target.value)}>
            {dimensions.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label>
          Base model
          <select aria-label="Base model" value={base?.id ?? ''} onChange={(e) => setBaseModel(e.target.value)}>
            {bases.map((m) => (
              <option key={m.id} value={m.id}>
                {m.id}
                {m.active ? ' (active)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          Gold snapshot
          <select
            aria-label="Gold snapshot"
            value={gold?.id ?? ''}
            onChange={(e) => setSnapshot(e.target.value)}
            disabled={goldOfDimension.length === 0}
          >
            {goldOfDimension.map((s) => (
              <option key={s.id} value={s.id}>
                {s.id} · {s.frames} frames · {new Date(s.createdAt).toLocaleDateString()}
              </option>
            ))}
          </select>
        </label>
        {goldOfDimension.length === 0 && (
          <p className="small missing">No gold snapshot of {chosenDimension} yet: freeze one on the Reliability screen.</p>
        )}
      </fieldset>
      <fieldset>
        <legend>Recipe (the lab's defaults; layers 1–3 frozen, layer4 + fc trained)</legend>
        <label>
          Optimizer
          <select aria-label="Optimizer" value={recipe.optimizer} onChange={setField('optimizer')}>
            <option value="adam">Adam</option>
            <option value="adamw">AdamW</option>
            <option value="sgd">SGD</option>
          </select>
        </label>
        <label>
          Learning rate
          <input aria-label="Learning rate" type="number" step="any" min="0" value={recipe.lr} onChange={setField('lr')} />
        </label>
        <label>
          Batch size
          <input aria-label="Batch size" type="number" min="1" value={recipe.batchSize} onChange={setField('batchSize')} />
        </label>
        <label>
          Max epochs
          <input aria-label="Max epochs" type="number" min="1" value={recipe.maxEpochs} onChange={setField('maxEpochs')} />
        </label>
        <label>
          Patience
          <input aria-label="Patience" type="number" min="1" value={recipe.patience} onChange={setField('patience')} />
        </label>
        <label>
          Class weights
          <select aria-label="Class weights" value={recipe.classWeights} onChange={setField('classWeights')}>
            <option value="inverse_frequency">inverse frequency</option>
            <option value="none">none</option>
          </select>
        </label>
        <label>
          Seed
          <input aria-label="Seed" type="number" value={recipe.seed} onChange={setField('seed')} />
        </label>
        <label>
          Threads (0 = all cores)
          <input aria-label="Threads" type="number" min="0" value={recipe.threads} onChange={setField('threads')} />
        </label>
      </fieldset>
      <fieldset>
        <legend>Comparison and output</legend>
        <label>
          Cross-validation
          <select aria-label="Cross-validation" value={cv} onChange={(e) => setCv(e.target.value as FinetuneParams['cv'])}>
            {CV_CHOICES.map((c) => (
              <option key={c} value={c}>
                {CV_LABEL[c]}
              </option>
            ))}
          </select>
        </label>
        <label>
          New version
          <input aria-label="New version" value={version} onChange={(e) => setVersion(e.target.value)} placeholder={nextVersion ?? 'v8'} />
        </label>
        <label>
          Metric that decides
          <select aria-label="Metric" value={metric} onChange={(e) => setMetric(e.target.value as FinetuneParams['metric'])}>
            <option value="macro_f1">macro-F1</option>
            <option value="accuracy">accuracy</option>
          </select>
        </label>
        <label className="check wide">
          <input
            type="checkbox"
            aria-label="Save only a significant improvement"
            checked={requireSignificant}
            onChange={(e) => setRequireSignificant(e.target.checked)}
          />{' '}
          Save v8 only when the improvement is significant (its interval lies above no change; the lab's rule saves any improvement)
        </label>
        <label className="wide">
          Output folder (optional; default the home's runs/finetune/&lt;job&gt;)
          <input
            aria-label="Output folder"
            value={outDir}
            onChange={(e) => setOutDir(e.target.value)}
            placeholder="/path/to/folder for v8_comparison.json"
          />
        </label>
      </fieldset>
      {taken && <p className="small missing">{newId} already exists: model versions are immutable, so give another new version.</p>}
      <p className="small muted">
        {newId && gold
          ? `Fine-tunes ${base!.id} on ${gold.frames} gold frames, compares it with ${base!.id} on the same ${CV_LABEL[cv]} folds, and saves ${newId} only if it is better on ${metric === 'macro_f1' ? 'macro-F1' : 'accuracy'}${requireSignificant ? ' with an interval above no change' : ''}.`
          : 'Choose a base model and a gold snapshot of its dimension.'}
      </p>
      <button type="submit" className="primary" disabled={!base || !gold || starting || taken}>
        Start fine-tune
      </button>
    </form>
  );
}
