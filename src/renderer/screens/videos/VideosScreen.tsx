import { useEffect, useState } from 'react';
import type { MediaImportResult, VideoSummary } from '../../../shared/media';
import { JobInline } from '../../components/JobInline';
import { useStore } from '../../store';
import { notifyError } from '../../store/notifyError';
import { listVideos } from '../../store/mediaActions';
import { loadVideoScores } from '../../store/preferenceActions';
import { startJob } from '../../store/actions';
import { Screen } from '../../components/Screen';

type Strategy = 'every' | 'even' | 'random' | 'existing';

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** The lead brings videos in and samples frames from them; both run as jobs with progress. */
export function VideosScreen() {
  const setJobsPanelOpen = useStore((s) => s.setJobsPanelOpen);
  const upsertJob = useStore((s) => s.upsertJob);
  // Refetch when an import or a sampling job has written videos or frames.
  const videosVersion = useStore((s) => s.topicVersions.videos ?? 0);
  const framesVersion = useStore((s) => s.topicVersions.frames ?? 0);
  // The active preference model's score per video (a column only once a model is active).
  const analysesVersion = useStore((s) => s.topicVersions.analyses ?? 0);
  const preferenceVersion = useStore((s) => s.topicVersions.preference ?? 0);
  const [videos, setVideos] = useState<VideoSummary[] | null>(null);
  const [scores, setScores] = useState<{ model: string; byVideo: Record<string, number> } | null>(null);
  const [paths, setPaths] = useState('');
  const [strategy, setStrategy] = useState<Strategy>('even');
  const [seconds, setSeconds] = useState(2);
  const [count, setCount] = useState(5);
  const [seed, setSeed] = useState(1);
  // The last job each form started, shown beside its button until the next one.
  const [importJob, setImportJob] = useState<string | null>(null);
  const [sampleJob, setSampleJob] = useState<string | null>(null);

  const load = () => listVideos().then(({ videos: list }) => setVideos(list), notifyError);
  useEffect(() => {
    void load();
  }, [videosVersion, framesVersion]);
  useEffect(() => {
    loadVideoScores({}).then(({ model, scores: byVideo }) => setScores(model ? { model, byVideo } : null), notifyError);
  }, [videosVersion, analysesVersion, preferenceVersion]);

  const start = async (kind: 'media.import' | 'frames.sample', params: Record<string, unknown>) => {
    try {
      const { job } = await startJob({ kind, params });
      upsertJob(job);
      (kind === 'media.import' ? setImportJob : setSampleJob)(job.id);
      setJobsPanelOpen(true);
    } catch (err) {
      notifyError(err);
    }
  };

  const importVideos = (e: React.FormEvent) => {
    e.preventDefault();
    void start('media.import', { paths: lines(paths) });
  };

  const sample = (e: React.FormEvent) => {
    e.preventDefault();
    const chosen =
      strategy === 'existing'
        ? { kind: 'existing' }
        : strategy === 'every'
          ? { kind: 'every', seconds }
          : { kind: 'perVideo', count, ...(strategy === 'random' ? { random: true, seed } : {}) };
    void start('frames.sample', { strategy: chosen });
  };

  return (
    <Screen id="videos" title="Videos">
      <div className="cards">
        <article className="card">
          <h2>Import videos</h2>
          <form className="form" onSubmit={importVideos}>
            <label className="wide">
              Files or folders on this machine, one per line (mp4, mov, webm, mkv)
              <textarea aria-label="Video paths" value={paths} onChange={(e) => setPaths(e.target.value)} rows={3} />
            </label>
            <button type="submit" className="primary" disabled={lines(paths).length === 0}>
              Import
            </button>
          </form>
          <JobInline
            jobId={importJob}
            describeErrors={(job) => (job.result as MediaImportResult).errors.map((e) => `${e.path}: ${e.message}`)}
          />
          <p className="muted small">The same file under another name is recognised by its content and not imported twice.</p>
        </article>
        <article className="card">
          <h2>Sample frames</h2>
          <form className="form" onSubmit={sample}>
            <label>
              Strategy
              <select aria-label="Strategy" value={strategy} onChange={(e) => setStrategy(e.target.value as Strategy)}>
                <option value="every">every N seconds</option>
                <option value="even">K per video, evenly spaced</option>
                <option value="random">K per video, random with seed</option>
                <option value="existing">images for known frames that lack one (e.g. from annotations.csv)</option>
              </select>
            </label>
            {strategy === 'existing' ? null : strategy === 'every' ? (
              <label>
                Seconds <input type="number" min={0.1} step={0.1} value={seconds} onChange={(e) => setSeconds(Number(e.target.value))} />
              </label>
            ) : (
              <label>
                Frames per video <input type="number" min={1} value={count} onChange={(e) => setCount(Number(e.target.value))} />
              </label>
            )}
            {strategy === 'random' && (
              <label>
                Seed <input type="number" min={0} value={seed} onChange={(e) => setSeed(Number(e.target.value))} />
              </label>
            )}
            <button type="submit" className="primary" disabled={!videos?.length}>
              Sample
            </button>
          </form>
          <JobInline jobId={sampleJob} />
          <p className="muted small">Re-sampling never duplicates a frame: the same time gives the same frame id.</p>
        </article>
      </div>
      <h2>Imported</h2>
      {!videos ? (
        <p className="loading">Loading…</p>
      ) : videos.length === 0 ? (
        <p className="empty">No videos yet. Import files or a folder above.</p>
      ) : (
        <table className="table" data-testid="video-table">
          <thead>
            <tr>
              <th>Video</th>
              <th>Duration</th>
              <th>Size</th>
              <th>fps</th>
              <th>Frames</th>
              {scores && (
                <th title={`The owner-preference score (0–10) of ${scores.model}; blank without an analysis of its version`}>Score</th>
              )}
              <th>File</th>
            </tr>
          </thead>
          <tbody>
            {videos.map((v) => (
              <tr key={v.videoId}>
                <td>{v.videoId}</td>
                <td>{v.durationS === null ? '—' : `${v.durationS.toFixed(1)} s`}</td>
                <td>{v.width ? `${v.width}×${v.height}` : '—'}</td>
                <td>{v.fps ?? '—'}</td>
                <td>{v.frameCount}</td>
                {scores && <td>{scores.byVideo[v.videoId]?.toFixed(1) ?? '—'}</td>}
                <td className="mono">{v.path ?? 'known from annotations only'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Screen>
  );
}
