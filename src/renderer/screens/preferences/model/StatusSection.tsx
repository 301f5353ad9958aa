import type { CSSProperties } from 'react';
import type { PreferenceStatus } from '../../../../shared/preferenceWorkflow';
import { fixed, kindLabel, metricsLine } from './format';
import { DEFAULT_TRAIN, type TrainOptions } from '../../../store/preferenceActions';

/**
 * Where the lab is on the spec's ladder (§8), what the counts are and why ratings were left
 * out, the active model, and whether a retrain is due (§9) — with the one click that starts it.
 */
export function StatusSection({
  status,
  training,
  onTrain,
}: {
  status: PreferenceStatus;
  training: boolean;
  onTrain: (options: TrainOptions) => void;
}) {
  return (
    <div className="pm-status" data-testid="pm-status">
      <Ladder status={status} />
      <div className="pm-status-grid">
        <Counts status={status} />
        <ActiveModel status={status} />
        <Retrain status={status} training={training} onTrain={onTrain} />
      </div>
    </div>
  );
}

function Ladder({ status }: { status: PreferenceStatus }) {
  const n = status.eligibility.eligible;
  const current = status.ladder.filter((l) => l.reached).at(-1)?.ratings ?? null;
  return (
    <section className="card" aria-labelledby="pm-ladder-title">
      <h3 id="pm-ladder-title">Milestones</h3>
      <ol className="pm-ladder" data-testid="pm-ladder">
        {status.ladder.map((l) => (
          <li
            key={l.ratings}
            className={l.ratings === current ? 'current' : l.reached ? 'reached' : ''}
            data-rung={l.ratings}
            data-reached={l.reached}
            style={
              l.ratings === current
                ? ({ '--rail': `${Math.round(railShare(n, l.ratings, status.next?.ratings ?? null) * 100)}%` } as CSSProperties)
                : undefined
            }
          >
            <span className="pm-rung">{l.ratings}</span>
            <span className="pm-rung-step">{l.step}</span>
            {l.ratings === current && <span className="pm-here">you are here</span>}
          </li>
        ))}
      </ol>
      <p className="pm-now" data-testid="pm-now">
        {n} eligible owner rating{n === 1 ? '' : 's'}
        {current === null ? `: keep rating; correlations start at ${status.ladder[0]?.ratings ?? 100}.` : ` — past the ${current} rung.`}
      </p>
      {status.next && (
        <p className="muted small">
          {status.next.needed} more eligible rating{status.next.needed === 1 ? '' : 's'} to reach {status.next.ratings} ({n} of{' '}
          {status.next.ratings}).
        </p>
      )}
    </section>
  );
}

/** How far the rail runs from the current rung toward the next (all of it at the top rung). */
function railShare(n: number, rung: number, next: number | null): number {
  if (next === null) return 1;
  return Math.max(0.04, Math.min(1, (n - rung) / (next - rung)));
}

function Counts({ status }: { status: PreferenceStatus }) {
  const e = status.eligibility;
  return (
    <section className="card" aria-labelledby="pm-counts-title">
      <h3 id="pm-counts-title">Ratings</h3>
      <dl className="pm-counts">
        <div className="row">
          <dt>Current ratings</dt>
          <dd className="num">{e.ratings}</dd>
        </div>
        <div className="row">
          <dt>Owner ratings</dt>
          <dd className="num" data-testid="pm-owner">
            {e.ownerRatings}
          </dd>
        </div>
        <div className="row">
          <dt>Eligible</dt>
          <dd className="num" data-testid="pm-eligible">
            <strong>{e.eligible}</strong>
          </dd>
        </div>
        <div className="row">
          <dt>Analysis</dt>
          <dd>
            {e.analysisVersion ?? 'none imported'} · feature_count ≥ {e.minFeatures}
          </dd>
        </div>
      </dl>
      {e.excluded.length > 0 && (
        <div className="pm-excluded" data-testid="pm-excluded">
          <h4>Left out</h4>
          {e.excluded.map((x) => (
            <details key={x.reason} data-reason={x.reason}>
              <summary>
                <span className="num">{x.count}</span> {x.reason}
              </summary>
              <p className="small muted">{x.detail}</p>
              <p className="mono pm-ids">{x.videoIds.join(', ')}</p>
            </details>
          ))}
        </div>
      )}
    </section>
  );
}

function ActiveModel({ status }: { status: PreferenceStatus }) {
  const a = status.active;
  return (
    <section className="card" aria-labelledby="pm-active-title">
      <h3 id="pm-active-title">Active model</h3>
      {a ? (
        <div data-testid="pm-active" data-model={a.id}>
          <p>
            <strong className="mono-id">{a.id}</strong> · {kindLabel(a.kind)} · {a.trainingRatings} ratings · {a.features} features
          </p>
          <p className="small">{metricsLine(a.metrics)}</p>
          {a.notes && <p className="note small">{a.notes}</p>}
        </div>
      ) : (
        <p className="muted" data-testid="pm-active">
          None yet{status.models > 0 ? ` — ${status.models} trained; activate one in Versions.` : '. Train one when the ladder says so.'}
        </p>
      )}
      {status.lastSnapshot && (
        <p className="small muted">
          Last correlations: {status.lastSnapshot.ratings} ratings, {status.lastSnapshot.significant} significant features,{' '}
          {status.lastSnapshot.confirmed} expected confirmed.
        </p>
      )}
    </section>
  );
}

function Retrain({ status, training, onTrain }: { status: PreferenceStatus; training: boolean; onTrain: (options: TrainOptions) => void }) {
  const r = status.retrain;
  const a = status.active;
  const n = status.eligibility.eligible;
  const drifted = r?.drift.filter((d) => d.drifted) ?? [];
  // With a model: retrain with its own settings. Without one: the spec's first model (Ridge) at 200.
  const options: TrainOptions = a
    ? {
        ...DEFAULT_TRAIN,
        kind: a.kind,
        top: a.options.top,
        prune: a.options.prune,
        notes: 'retrain',
        minRatings: Math.max(3, Math.min(DEFAULT_TRAIN.minRatings, n)),
      }
    : DEFAULT_TRAIN;
  const firstDue = !a && status.models === 0 && n >= 200;
  return (
    <section className="card" aria-labelledby="pm-retrain-title" data-testid="pm-retrain" data-due={Boolean(r?.due || firstDue)}>
      <h3 id="pm-retrain-title">Retraining</h3>
      {!r && !firstDue && <p className="muted">{a ? '' : 'No active model: nothing to retrain yet.'}</p>}
      {firstDue && <p>The spec's first model is due: {n} eligible ratings (Ridge, v1.0).</p>}
      {r && (
        <>
          <p className={r.due ? 'missing' : 'good'}>
            <strong>{r.due ? 'A retrain is due.' : 'No retrain due.'}</strong>
          </p>
          {r.reasons.length > 0 && (
            <ul className="notes small">
              {r.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          )}
          <dl className="pm-counts small">
            <div className="row">
              <dt>New ratings</dt>
              <dd className="num">{r.newRatings} of 50</dd>
            </div>
            <div className="row">
              <dt>MAE on them</dt>
              <dd className="num">
                {fixed(r.recentMae)} {a && <span className="muted">(model {fixed(a.metrics.mae)}; due above +0.05)</span>}
              </dd>
            </div>
            <div className="row">
              <dt>Drift (PSI)</dt>
              <dd>
                {r.drift.length === 0 ? (
                  <span className="muted">needs 20 new analysed videos</span>
                ) : (
                  `${drifted.length} of ${r.drift.length} top features above 0.1 (max ${fixed(Math.max(...r.drift.map((d) => d.psi)), 2)})`
                )}
              </dd>
            </div>
          </dl>
        </>
      )}
      {(r?.due || firstDue) && (
        <button type="button" className="primary" disabled={training} onClick={() => onTrain(options)} data-testid="pm-retrain-button">
          {training
            ? 'Training…'
            : a
              ? `Retrain (${a.kind === 'random_forest' ? 'random forest' : 'Ridge'}, top ${a.options.top})`
              : 'Train v1.0 (Ridge, top 50)'}
        </button>
      )}
    </section>
  );
}
