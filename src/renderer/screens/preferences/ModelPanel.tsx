import { useCallback, useRef, useState, type KeyboardEvent } from 'react';
import { isActive } from '../../components/format';
import { useStore } from '../../store';
import { CorrelationsSection, type ShownCorrelations } from './model/CorrelationsSection';
import { ScoreSection } from './model/ScoreSection';
import { StatusSection } from './model/StatusSection';
import { TrainJobCard } from './model/TrainJobCard';
import { startTraining, type TrainOptions } from '../../store/preferenceActions';
import { usePreferenceRead } from '../../store/usePreferenceRead';
import { VersionsSection } from './model/VersionsSection';
import './model/model.css';

type Section = 'status' | 'correlations' | 'versions' | 'score';
const SECTIONS: { kind: Section; label: string }[] = [
  { kind: 'status', label: 'Status' },
  { kind: 'correlations', label: 'Correlations' },
  { kind: 'versions', label: 'Versions' },
  { kind: 'score', label: 'Score' },
];

/**
 * The lead's view of the owner-preference model (issue 19 items 4, 6, 7, 8): Status (the
 * spec's ladder, counts, the active model, retrain advice), Correlations, Versions and Score.
 * A training started here (a preference.train job) is followed above the sections wherever
 * the lead is, with progress, cancel and its result.
 */
export function ModelPanel() {
  const [section, setSection] = useState<Section>('status');
  const [shown, setShown] = useState<ShownCorrelations | null>(null);
  const { data: status } = usePreferenceRead('preference.status');
  const { data: models } = usePreferenceRead('preference.models.list');
  // A training already running when the tab opens is followed too.
  const runningId = useStore((s) => s.jobOrder.find((id) => s.jobs[id]?.kind === 'preference.train' && isActive(s.jobs[id]!)) ?? null);
  const [startedId, setStartedId] = useState<string | null>(null);
  const [closedId, setClosedId] = useState<string | null>(null);
  const trainJobId = startedId ?? runningId;
  const training = useStore((s) => (trainJobId ? Boolean(s.jobs[trainJobId] && isActive(s.jobs[trainJobId]!)) : false));
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);

  const train = useCallback(async (options: TrainOptions) => {
    const id = await startTraining(options);
    if (id) setStartedId(id);
  }, []);
  const show = useCallback((s: ShownCorrelations) => setShown(s), []);

  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const last = SECTIONS.length - 1;
    const next =
      e.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : e.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : null;
    if (next === null) return;
    e.preventDefault();
    setSection(SECTIONS[next]!.kind);
    tabs.current[next]?.focus();
  };

  const activeId = models?.active ?? null;
  return (
    <div className="model-panel" data-testid="model-panel">
      <div role="tablist" aria-label="Model" className="pm-tabs">
        {SECTIONS.map((s, i) => (
          <button
            key={s.kind}
            ref={(el) => {
              tabs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`pm-tab-${s.kind}`}
            aria-selected={section === s.kind}
            aria-controls="pm-section"
            tabIndex={section === s.kind ? 0 : -1}
            className={section === s.kind ? 'active' : ''}
            onClick={() => setSection(s.kind)}
            onKeyDown={(e) => onTabKey(e, i)}
          >
            {s.label}
            {s.kind === 'status' && status?.retrain?.due && <span className="pm-dot" title="A retrain is due" />}
            {s.kind === 'versions' && models && <span className="pm-count">{models.models.length}</span>}
          </button>
        ))}
      </div>
      {trainJobId && trainJobId !== closedId && (
        <TrainJobCard jobId={trainJobId} activeId={activeId} onClose={() => setClosedId(trainJobId)} />
      )}
      <div id="pm-section" role="tabpanel" aria-labelledby={`pm-tab-${section}`} className="pm-section">
        {!status || !models ? (
          <p className="loading">Loading…</p>
        ) : section === 'status' ? (
          <StatusSection status={status} training={training} onTrain={(o) => void train(o)} />
        ) : section === 'correlations' ? (
          <CorrelationsSection shown={shown} onShow={show} />
        ) : section === 'versions' ? (
          <VersionsSection
            models={models.models}
            eligible={status.eligibility.eligible}
            training={training}
            onTrain={(o) => void train(o)}
          />
        ) : (
          <ScoreSection models={models.models} activeId={activeId} />
        )}
      </div>
    </div>
  );
}
