import { useEffect, useMemo, useState } from 'react';
import type { InferParams } from '../../../shared/infer';
import type { ModelSummary } from '../../../shared/models';
import { useStore } from '../../store';
import { notifyError } from '../../store/notifyError';
import { listModels } from '../../store/modelsActions';
import { startJob } from '../../store/actions';

const SKIP = '';

/** The models to run by default: each dimension's active version, else its newest. */
function defaultChoice(models: readonly ModelSummary[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of new Set(models.map((m) => m.dimension))) {
    const own = models.filter((m) => m.dimension === d);
    out[d] = (own.find((m) => m.active) ?? own.at(-1)!).id;
  }
  return out;
}

/**
 * A new run: the videos (a folder here, or gs://bucket/prefix with the Sync settings'
 * credentials), one model version per dimension (the active ones by default), the sampling,
 * workers, checkpoint interval and output folder. Start runs `infer.run`; running it again on
 * the same folder resumes.
 */
export function InferForm({ onStarted }: { onStarted: (outDir: string) => void }) {
  const upsertJob = useStore((s) => s.upsertJob);
  const modelsVersion = useStore((s) => s.topicVersions.models ?? 0);
  const [models, setModels] = useState<ModelSummary[] | null>(null);
  const [chosen, setChosen] = useState<Record<string, string> | null>(null);
  const [videos, setVideos] = useState('');
  const [mode, setMode] = useState<'every' | 'perVideo'>('every');
  const [seconds, setSeconds] = useState('1');
  const [count, setCount] = useState('5');
  const [random, setRandom] = useState(false);
  const [seed, setSeed] = useState('1');
  const [workers, setWorkers] = useState('4');
  const [checkpoint, setCheckpoint] = useState('500');
  const [outDir, setOutDir] = useState('');
  const [fresh, setFresh] = useState(false);
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    listModels({}).then(({ models: list }) => {
      setModels(list);
      setChosen((c) => c ?? defaultChoice(list));
    }, notifyError);
  }, [modelsVersion]);

  const dimensions = useMemo(() => [...new Set((models ?? []).map((m) => m.dimension))], [models]);
  const picked = dimensions.map((d) => chosen?.[d] ?? SKIP).filter((id) => id !== SKIP);
  const problems: string[] = [];
  if (!videos.trim()) problems.push('the videos (a folder or gs://bucket/prefix)');
  if (!outDir.trim()) problems.push('an output folder');
  if (picked.length === 0) problems.push('at least one model');
  const positive = (text: string) => Number.isFinite(Number(text)) && Number(text) > 0;
  if (mode === 'every' && !positive(seconds)) problems.push('a sampling interval above 0 s');
  if (mode === 'perVideo' && !(Number.isInteger(Number(count)) && Number(count) > 0)) problems.push('a whole number of frames per video');
  if (!(Number.isInteger(Number(workers)) && Number(workers) > 0)) problems.push('a whole number of workers');
  if (!(Number.isInteger(Number(checkpoint)) && Number(checkpoint) > 0)) problems.push('a checkpoint interval in videos');

  const start = async (e: React.FormEvent) => {
    e.preventDefault();
    if (problems.length) return;
    const params: InferParams = {
      videos: videos.trim(),
      models: picked,
      sampling:
        mode === 'every'
          ? { kind: 'every', seconds: Number(seconds) }
          : { kind: 'perVideo', count: Number(count), random, seed: Number(seed) || 0 },
      workers: Number(workers),
      batchSize: 16,
      checkpointEvery: Number(checkpoint),
      shard: null,
      fresh,
      outDir: outDir.trim(),
    };
    setStarting(true);
    try {
      const { job } = await startJob({ kind: 'infer.run', params });
      upsertJob(job);
      onStarted(params.outDir);
    } catch (err) {
      notifyError(err);
    } finally {
      setStarting(false);
    }
  };

  if (models === null || chosen === null) return <p className="loading">Loading…</p>;
  if (models.length === 0) {
    return <p className="empty">No model to run: import the frame classifiers (e.g. pov_resnet50_v8.pth) on the Models screen first.</p>;
  }

  return (
    <form className="form infer-form" aria-label="New batch inference" onSubmit={(e) => void start(e)}>
      <fieldset>
        <legend>Videos</legend>
        <label className="wide">
          Source
          <input
            aria-label="Videos source"
            value={videos}
            onChange={(e) => setVideos(e.target.value)}
            placeholder="/path/to/videos or gs://bucket/prefix"
          />
        </label>
        <p className="small muted">
          A folder on this machine (searched recursively for mp4, mov, webm, mkv), or a bucket prefix read with the Sync settings'
          credentials.
        </p>
      </fieldset>
      <fieldset>
        <legend>Models</legend>
        {dimensions.map((d) => (
          <label key={d}>
            {d}
            <select
              aria-label={`Model for ${d}`}
              value={chosen[d] ?? SKIP}
              onChange={(e) => setChosen((c) => ({ ...c, [d]: e.target.value }))}
            >
              {models
                .filter((m) => m.dimension === d)
                .map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.id}
                    {m.active ? ' (active)' : ''}
                  </option>
                ))}
              <option value={SKIP}>— not this dimension —</option>
            </select>
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Frames</legend>
        <label className="check">
          <input type="radio" name="infer-sampling" checked={mode === 'every'} onChange={() => setMode('every')} /> Every
          <input
            aria-label="Seconds between frames"
            type="number"
            min="0.1"
            step="0.1"
            value={seconds}
            onChange={(e) => setSeconds(e.target.value)}
            disabled={mode !== 'every'}
          />{' '}
          s
        </label>
        <label className="check">
          <input type="radio" name="infer-sampling" checked={mode === 'perVideo'} onChange={() => setMode('perVideo')} />
          <input
            aria-label="Frames per video"
            type="number"
            min="1"
            step="1"
            value={count}
            onChange={(e) => setCount(e.target.value)}
            disabled={mode !== 'perVideo'}
          />{' '}
          per video
        </label>
        {mode === 'perVideo' && (
          <>
            <label className="check">
              <input type="checkbox" checked={random} onChange={(e) => setRandom(e.target.checked)} /> at random times
            </label>
            {random && (
              <label>
                Seed <input aria-label="Seed" type="number" step="1" value={seed} onChange={(e) => setSeed(e.target.value)} />
              </label>
            )}
          </>
        )}
        <p className="small muted">The same strategies and frame ids as coding: a coded frame and a predicted frame are the same frame.</p>
      </fieldset>
      <fieldset>
        <legend>Run</legend>
        <label>
          Workers <input aria-label="Workers" type="number" min="1" step="1" value={workers} onChange={(e) => setWorkers(e.target.value)} />
        </label>
        <label>
          Checkpoint every{' '}
          <input
            aria-label="Checkpoint every"
            type="number"
            min="1"
            step="1"
            value={checkpoint}
            onChange={(e) => setCheckpoint(e.target.value)}
          />{' '}
          videos
        </label>
        <label className="wide">
          Output folder
          <input aria-label="Output folder" value={outDir} onChange={(e) => setOutDir(e.target.value)} placeholder="/path/to/predictions" />
        </label>
        <label className="check">
          <input type="checkbox" checked={fresh} onChange={(e) => setFresh(e.target.checked)} aria-label="Fresh" /> Start over: discard what
          the output folder holds (otherwise a run on the same folder resumes where it stopped)
        </label>
      </fieldset>
      {problems.length > 0 && <p className="small missing">To start, give {problems.join(', ')}.</p>}
      <button type="submit" className="primary" disabled={starting || problems.length > 0}>
        {starting ? 'Starting…' : 'Start inference'}
      </button>
    </form>
  );
}
