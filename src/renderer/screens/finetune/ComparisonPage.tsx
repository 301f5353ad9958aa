import type { ModelComparison } from '../../../shared/finetune';
import type { FinetuneRunView } from '../../../shared/finetuneRuns';
import { ConfusionHeatmap } from '../reliability/ConfusionHeatmap';
import { CV_LABEL, fixed3, interval, pValue, signed3, versionOf } from './format';
import { FrameGallery } from './FrameGallery';

/**
 * v7 against v8 on the same held-out frames: the decision in plain words first, then the
 * figures it rests on (with their intervals and McNemar's p), per class, both confusion
 * matrices, and the frames v8 fixed and broke.
 */
export function ComparisonPage({ view }: { view: FinetuneRunView }) {
  const result = view.result!;
  const entry = result.entry;
  const base = entry.baseModel.id;
  const newId = view.newModelId ?? `${result.dimension}@new`;
  const names = { v7: versionOf(base), v8: versionOf(newId) };
  return (
    <div className="comparison" data-testid="comparison">
      <article className="card decision-card" data-testid="decision">
        <h2>Decision</h2>
        <p className="decision-reason">{entry.decision.reason}</p>
        <p className={view.registered ? 'good' : 'muted'} data-testid="registration">
          {view.registered
            ? `${newId} was saved and registered in the model registry (not active yet: make it active on the Models screen).`
            : entry.decision.save
              ? `${newId} was saved, but it is not in the model registry.`
              : `${newId} was not saved: ${base} stays the model for ${result.dimension}, and nothing was registered.`}
        </p>
        <p className="small muted">
          Decided on {entry.decision.metric === 'macro_f1' ? 'macro-F1' : 'accuracy'} under {CV_LABEL[entry.cv]} ({entry.folds} folds,{' '}
          {entry.n} held-out frames) on gold snapshot <span className="mono">{entry.goldSnapshotId}</span>. Written to{' '}
          <span className="mono">{result.comparisonFile}</span>
          {result.pthFile && (
            <>
              {' '}
              and <span className="mono">{result.pthFile}</span>
            </>
          )}
          .
        </p>
      </article>

      <h2>
        {capitalize(CV_LABEL[entry.cv])}: {names.v7} against {names.v8}
      </h2>
      <MetricsTable comparison={entry} names={names} decidingMetric={entry.decision.metric} testId="metrics" />

      <h2>Per class</h2>
      <PerClassTable comparison={entry} names={names} />

      <h2>Confusion matrices</h2>
      <div className="side-by-side">
        <figure data-testid="confusion-v7">
          <figcaption>{base}</figcaption>
          <ConfusionHeatmap categories={entry.classes} matrix={entry.metrics.v7.confusion} rowCoder="gold" colCoder={names.v7} />
        </figure>
        <figure data-testid="confusion-v8">
          <figcaption>{newId}</figcaption>
          <ConfusionHeatmap categories={entry.classes} matrix={entry.metrics.v8.confusion} rowCoder="gold" colCoder={names.v8} />
        </figure>
      </div>

      <div className="side-by-side galleries">
        <section aria-label="Frames fixed" className="gallery-column">
          <h2>
            Fixed by {names.v8} ({entry.fixed.length})
          </h2>
          <p className="small muted">
            {names.v7} was wrong, {names.v8} is right.
          </p>
          <FrameGallery
            ids={entry.fixed}
            comparison={entry}
            frames={view.frames}
            names={names}
            testId="fixed"
            empty={`${names.v8} fixed no frame that ${names.v7} got wrong.`}
          />
        </section>
        <section aria-label="Frames regressed" className="gallery-column">
          <h2>
            Regressed by {names.v8} ({entry.regressed.length})
          </h2>
          <p className="small muted">
            {names.v7} was right, {names.v8} is wrong.
          </p>
          <FrameGallery
            ids={entry.regressed}
            comparison={entry}
            frames={view.frames}
            names={names}
            testId="regressed"
            empty={`${names.v8} broke no frame that ${names.v7} got right.`}
          />
        </section>
      </div>

      {Object.entries(result.alsoCv).map(([cv, comparison]) => (
        <section key={cv} className="also-cv" data-testid={`also-${cv}`} aria-label={CV_LABEL[cv as 'loo' | 'video'] ?? cv}>
          <h2>{CV_LABEL[cv as 'loo' | 'video'] ?? cv}, for comparison</h2>
          <p>
            {capitalize(CV_LABEL[cv as 'loo' | 'video'] ?? cv)} says: {comparison.decision.reason}
          </p>
          <p className="small muted">It does not decide: the first cross-validation asked for ({CV_LABEL[entry.cv]}) does.</p>
          <MetricsTable comparison={comparison} names={names} decidingMetric={null} testId={`metrics-${cv}`} />
        </section>
      ))}
    </div>
  );
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function MetricsTable({
  comparison,
  names,
  decidingMetric,
  testId,
}: {
  comparison: ModelComparison;
  names: { v7: string; v8: string };
  decidingMetric: 'macro_f1' | 'accuracy' | null;
  testId: string;
}) {
  const { metrics, deltas, intervals, mcnemar, bootstrap } = comparison;
  const rows = [
    {
      key: 'accuracy',
      label: 'Accuracy',
      v7: metrics.v7.accuracy,
      v8: metrics.v8.accuracy,
      delta: deltas.accuracy,
      ci: intervals.accuracy,
    },
    { key: 'macro_f1', label: 'Macro-F1', v7: metrics.v7.macroF1, v8: metrics.v8.macroF1, delta: deltas.macroF1, ci: intervals.macroF1 },
  ] as const;
  const confidence = Math.round(bootstrap.confidence * 100);
  return (
    <div data-testid={testId}>
      <table className="table metrics-table" aria-label="Metrics">
        <thead>
          <tr>
            <th>Metric</th>
            <th>{names.v7}</th>
            <th>{names.v8}</th>
            <th>
              Δ ({names.v8} − {names.v7})
            </th>
            <th>{confidence}% interval of Δ</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-metric={r.key}>
              <th scope="row">
                {r.label}
                {decidingMetric === r.key && <span className="badge decides">decides</span>}
              </th>
              <td>{fixed3(r.v7)}</td>
              <td>{fixed3(r.v8)}</td>
              <td className={r.delta > 0 ? 'good' : r.delta < 0 ? 'bad' : ''}>{signed3(r.delta)}</td>
              <td>{interval(r.ci)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {metrics.v7.macroF1Present !== undefined && metrics.v8.macroF1Present !== undefined && (
        <p className="small muted" data-testid="macro-f1-present">
          Macro-F1 over the classes present only (scikit-learn's default, as the lab's earlier numbers were reported; for comparison, never
          deciding): {names.v7} {fixed3(metrics.v7.macroF1Present)}, {names.v8} {fixed3(metrics.v8.macroF1Present)}.
        </p>
      )}
      <p className="small" data-testid="mcnemar">
        McNemar's exact test on the {mcnemar.b + mcnemar.c} discordant frames (b = {mcnemar.b} regressed, c = {mcnemar.c} fixed):{' '}
        <strong>{pValue(mcnemar.p)}</strong>. Intervals: paired bootstrap, {bootstrap.resamples} resamples, seed {bootstrap.seed};{' '}
        {comparison.n} held-out frames.
      </p>
    </div>
  );
}

function PerClassTable({ comparison, names }: { comparison: ModelComparison; names: { v7: string; v8: string } }) {
  const { v7, v8 } = comparison.metrics;
  return (
    <table className="table per-class" aria-label="Per-class scores" data-testid="per-class">
      <thead>
        <tr>
          <th rowSpan={2}>Class</th>
          <th rowSpan={2}>Frames</th>
          <th colSpan={3}>{names.v7}</th>
          <th colSpan={3}>{names.v8}</th>
        </tr>
        <tr>
          <th>Precision</th>
          <th>Recall</th>
          <th>F1</th>
          <th>Precision</th>
          <th>Recall</th>
          <th>F1</th>
        </tr>
      </thead>
      <tbody>
        {comparison.classes.map((c, i) => {
          const a = v7.perClass[i]!;
          const b = v8.perClass[i]!;
          return (
            <tr key={c}>
              <th scope="row">{c}</th>
              <td>{a.support}</td>
              <td>{fixed3(a.precision)}</td>
              <td>{fixed3(a.recall)}</td>
              <td>{fixed3(a.f1)}</td>
              <td>{fixed3(b.precision)}</td>
              <td>{fixed3(b.recall)}</td>
              <td className={b.f1 > a.f1 ? 'good' : b.f1 < a.f1 ? 'bad' : ''}>{fixed3(b.f1)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
