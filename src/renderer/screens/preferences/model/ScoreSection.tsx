import { useState } from 'react';
import type { PreferenceModelSummary, PreferenceScoreResult } from '../../../../shared/preferenceWorkflow';
import { callConfirmingOverwrite } from '../../../api/confirmOverwrite';
import { notifyError } from '../../../store/notifyError';
import { fixed, percent, signed } from './format';
import { usePreferenceRead } from '../../../store/usePreferenceRead';
import { scoreAll, scoreVideo } from '../../../store/preferenceActions';

/**
 * Scores with the active model (or a chosen one): one video's stored analysis → 0–10, the
 * confidence (coverage × the model's R²), the top 5 factors and how much each moved the score;
 * and every analysed video into a CSV on the server (asks before replacing a file).
 */
export function ScoreSection({ models, activeId }: { models: PreferenceModelSummary[]; activeId: string | null }) {
  const [modelId, setModelId] = useState<string>('');
  const chosen = modelId || activeId || '';
  const { data: all } = usePreferenceRead('preference.scores', chosen ? { modelId: chosen } : {});
  const videoIds = all ? Object.keys(all.scores).sort() : [];
  if (models.length === 0) return <p className="empty">No preference model yet: train one in Versions, then score here.</p>;
  return (
    <div className="pm-score" data-testid="pm-score">
      <div className="pm-toolbar">
        <label className="pm-inline">
          Model
          <select value={modelId} onChange={(e) => setModelId(e.target.value)} aria-label="Scoring model">
            <option value="">{activeId ? `active (${activeId})` : 'choose a model'}</option>
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.id}
                {m.active ? ' (active)' : ''}
              </option>
            ))}
          </select>
        </label>
        {all?.model && (
          <span className="muted small">
            {videoIds.length} videos with a {all.analysisVersion} analysis can be scored by {all.model}.
          </span>
        )}
      </div>
      {!chosen ? (
        <p className="missing">No model is active: choose one to score with.</p>
      ) : (
        <ScoreOne modelId={modelId || undefined} videoIds={videoIds} />
      )}
      {chosen && <ScoreAll modelId={modelId || undefined} />}
    </div>
  );
}

function ScoreOne({ modelId, videoIds }: { modelId: string | undefined; videoIds: string[] }) {
  const [videoId, setVideoId] = useState('');
  const [result, setResult] = useState<PreferenceScoreResult | null>(null);
  const [busy, setBusy] = useState(false);
  const score = async () => {
    setBusy(true);
    try {
      setResult(await scoreVideo({ videoId: videoId.trim(), ...(modelId ? { modelId } : {}) }));
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="pm-score-one-title">
      <h3 id="pm-score-one-title">Score a video</h3>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void score();
        }}
      >
        <label>
          Video id
          <input
            list="pm-score-videos"
            value={videoId}
            onChange={(e) => setVideoId(e.target.value)}
            aria-label="Video id to score"
            placeholder="video_id"
            className="pm-id-input"
          />
        </label>
        <datalist id="pm-score-videos">
          {videoIds.slice(0, 500).map((id) => (
            <option key={id} value={id} />
          ))}
        </datalist>
        <button type="submit" className="primary" disabled={!videoId.trim() || busy}>
          {busy ? 'Scoring…' : 'Score'}
        </button>
      </form>
      {result && <ScoreResult result={result} />}
    </section>
  );
}

function ScoreResult({ result }: { result: PreferenceScoreResult }) {
  const max = Math.max(0.01, ...result.topFactors.map((f) => Math.abs(f.contribution)));
  return (
    <div className="pm-score-result" data-testid="pm-score-result" data-video={result.videoId} data-score={result.score}>
      <div className="pm-score-figures">
        <div className="figure">
          <h4>Score</h4>
          <p className="figure-value" data-testid="pm-score-value">
            {result.score.toFixed(1)}
            <span className="muted pm-of"> / 10</span>
          </p>
          <p className="small muted">
            {result.videoId} · {result.model} · {result.analysisVersion}
            {result.unclampedScore !== result.score && ` · unclamped ${result.unclampedScore.toFixed(2)}`}
          </p>
        </div>
        <div className="figure">
          <h4>Confidence</h4>
          <p className="figure-value" data-testid="pm-score-confidence">
            {result.confidence === null ? '—' : fixed(result.confidence, 2)}
          </p>
          <p className="small muted">coverage {percent(result.coverage)} × the model's R²</p>
        </div>
      </div>
      <h4>Top factors</h4>
      <p className="small muted">
        From the base score {result.baseScore.toFixed(2)} (the average training rating): what moved this video up or down.
      </p>
      <ol className="pm-factors" data-testid="pm-factors">
        {result.topFactors.map((f) => (
          <li key={f.feature} data-feature={f.feature}>
            <span className="mono">{f.feature}</span>
            <span className="pm-factor-bar" aria-hidden="true">
              <span
                className={f.contribution >= 0 ? 'pos' : 'neg'}
                style={{
                  width: `${(Math.abs(f.contribution) / max) * 50}%`,
                  ...(f.contribution >= 0 ? { left: '50%' } : { right: '50%' }),
                }}
              />
            </span>
            <span className={`num ${f.contribution >= 0 ? 'good' : 'bad'}`}>{signed(f.contribution)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

function ScoreAll({ modelId }: { modelId: string | undefined }) {
  const [out, setOut] = useState('');
  const [busy, setBusy] = useState(false);
  const [written, setWritten] = useState<{ rows: number; file: string; model: string } | null>(null);
  const run = async () => {
    setBusy(true);
    try {
      const result = await callConfirmingOverwrite((overwrite) =>
        scoreAll({ out: out.trim(), overwrite, ...(modelId ? { modelId } : {}) }),
      );
      if (result) setWritten(result);
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="pm-score-all-title">
      <h3 id="pm-score-all-title">Score all to CSV</h3>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label className="pm-grow">
          Output file (on the machine running Framelab, absolute .csv)
          <input
            value={out}
            onChange={(e) => setOut(e.target.value)}
            aria-label="Scores CSV path"
            placeholder="/home/lab/exports/scores.csv"
          />
        </label>
        <button type="submit" disabled={!out.trim() || busy}>
          {busy ? 'Scoring…' : 'Score all to CSV'}
        </button>
      </form>
      {written && (
        <p className="good small" data-testid="pm-score-all-result">
          {written.rows} videos scored by {written.model} → <span className="mono">{written.file}</span>
        </p>
      )}
    </section>
  );
}
