import { useEffect, useState } from 'react';
import type { AnalysisRunDetail } from '../../../shared/analysis';
import { formatTime } from '../../components/format';
import { useStore } from '../../store';
import { CoefficientsSection } from './CoefficientsSection';
import { ComparisonSection } from './ComparisonSection';
import { CountSection } from './CountSection';
import { draftFromConfig } from '../../store/analysisDraft';
import { ExportBar } from './ExportBar';
import { PdpSection } from './PdpSection';
import { SlopesSection } from './SlopesSection';
import { analysisRunDetail } from '../../store/analysisActions';

/** Is the key meant for a field (typing), not for the screen? */
const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/**
 * One finished run: what was run on what data, then per outcome (←/→ switch) the
 * coefficients, the pairwise screen, simple slopes, GBM and its partial dependence, the model
 * comparison and the count models; notes and skipped models; the export.
 */
export function RunDetail({ runId }: { runId: string }) {
  const [detail, setDetail] = useState<AnalysisRunDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [outcomeIndex, setOutcomeIndex] = useState(0);
  const open = useStore((s) => s.openAnalysis);
  const setDraft = useStore((s) => s.setAnalysisDraft);
  const setColumns = useStore((s) => s.setAnalysisColumns);

  useEffect(() => {
    let current = true;
    setDetail(null);
    setError(null);
    analysisRunDetail({ runId }).then(
      (d) => current && setDetail(d),
      (err: unknown) => current && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      current = false;
    };
  }, [runId]);

  const outcomes = detail?.config.outcomes ?? [];
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || outcomes.length < 2) return;
      if (e.key === 'ArrowRight') setOutcomeIndex((i) => (i + 1) % outcomes.length);
      else if (e.key === 'ArrowLeft') setOutcomeIndex((i) => (i + outcomes.length - 1) % outcomes.length);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [outcomes.length]);

  if (error)
    return (
      <p className="bad" role="alert">
        {error}
      </p>
    );
  if (!detail) return <p className="loading">Loading the run…</p>;
  const { config, result, summary, dataSummary } = detail;
  const outcome = outcomes[Math.min(outcomeIndex, outcomes.length - 1)]!;
  const of = <T extends { outcome: string }>(list: readonly T[]) => list.filter((x) => x.outcome === outcome);
  const skipped = of(result.skipped ?? []);

  const rerun = () => {
    setDraft(draftFromConfig(config as Parameters<typeof draftFromConfig>[0]));
    setColumns(null, null);
    open({ kind: 'setup' });
  };

  return (
    <div className="analysis-detail" data-testid="analysis-detail" data-run={runId}>
      <article className="card">
        <header className="screen-head">
          <h2>{summary.name ?? 'Analysis run'}</h2>
          <button type="button" onClick={rerun}>
            Rerun with changes…
          </button>
        </header>
        <p className="small">
          <span className="mono">{runId}</span> · {formatTime(summary.createdAt)} · {dataSummary.rows.toLocaleString()} rows of{' '}
          <span className="mono">{dataSummary.data}</span>
          {dataSummary.joins.length > 0 &&
            ` + ${dataSummary.joins.map((j) => `${j.kind} ${j.path} (${j.matched} matched, ${j.unmatched} not)`).join(', ')}`}{' '}
          · SE {config.se}
          {config.center ? ' · focal predictors centred' : ''} · seed {config.seed}
        </p>
        <p className="muted small">
          Run folder (immutable): <span className="mono">{summary.runDir}</span>
        </p>
        {(result.notes ?? []).length > 0 && (
          <ul className="small muted" aria-label="Notes">
            {result.notes!.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
        <div role="tablist" aria-label="Outcome" className="tabs">
          {outcomes.map((o, i) => (
            <button
              key={o}
              type="button"
              role="tab"
              aria-selected={o === outcome}
              className={o === outcome ? 'active' : ''}
              onClick={() => setOutcomeIndex(i)}
            >
              {o}
            </button>
          ))}
          {outcomes.length > 1 && (
            <span className="muted small">
              <kbd>←</kbd> <kbd>→</kbd> switch outcome
            </span>
          )}
        </div>
      </article>
      <CoefficientsSection key={`coef-${outcome}`} models={of(result.models)} />
      {skipped.length > 0 && (
        <p className="small muted" data-testid="analysis-skipped">
          Not estimable on their rows (left out of the screen’s q-values):{' '}
          {skipped.map((s) => `${(s.focal ?? []).join(' × ')} (${s.reason})`).join('; ')}
        </p>
      )}
      <SlopesSection slopes={of(result.simpleSlopes)} threshold={config.slopesP} />
      <PdpSection key={`pdp-${outcome}`} gbm={of(result.gbm)[0]} grids={of(detail.pdp)} />
      <ComparisonSection rows={of(result.comparison)} />
      <CountSection overdispersion={of(result.overdispersion)[0]} models={of(result.countModels)} agreement={of(result.countComparison)} />
      <ExportBar runId={runId} />
    </div>
  );
}
