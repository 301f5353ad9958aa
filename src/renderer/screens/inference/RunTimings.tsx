import { RUN_BOUND, type InferTimings } from '../../../shared/infer';

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Where a finished run's time went (the job's closing log line, as a table): end to end vs
 * model only, and per stage its working and waiting time, with what bounded the run.
 */
export function RunTimings({ timings: t }: { timings: InferTimings }) {
  const rows: [string, string, string][] = [
    ['Model', s(t.modelBusyMs), `idle ${s(t.modelIdleMs)} waiting for frames`],
    [
      'Decode (ffmpeg)',
      `${s(t.ffmpegCpuMs)} CPU`,
      `workers waited ${s(t.decodeWaitMs)}; ${t.passes} video(s) in one pass, ${t.seeks} by seeking (${t.segments} segments)${t.perFrame ? `, ${t.perFrame} frame(s) one ffmpeg each` : ''}`,
    ],
    ['Resize + normalise', `${s(t.resizeMs)} CPU`, 'on the main thread'],
    ['Probe', s(t.probeMs), ''],
    ['Download', s(t.downloadMs), ''],
    ['Queue', `${(t.queueWaitPerFrameMs / 1000).toFixed(2)} s per frame`, `workers waited ${s(t.queueFullMs)} for room`],
  ];
  return (
    <details className="run-timings" data-testid="infer-timings" data-bound={t.bound}>
      <summary>
        {t.frames} frames in {t.seconds.toFixed(1)} s: {t.endToEndFps.toFixed(2)} frames/s end to end, {t.modelOnlyFps.toFixed(2)} frames/s
        model only ({Math.round((100 * t.endToEndFps) / Math.max(t.modelOnlyFps, 1e-9))} %). Bound by {RUN_BOUND[t.bound].what}.
      </summary>
      <table className="table">
        <thead>
          <tr>
            <th>Stage</th>
            <th>Working</th>
            <th>Waiting / detail</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([stage, working, detail]) => (
            <tr key={stage} data-stage={stage}>
              <td>{stage}</td>
              <td>{working}</td>
              <td className="small">{detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small muted">
        Bound by {RUN_BOUND[t.bound].what}: {RUN_BOUND[t.bound].why}. Workers&apos; times are summed over the {t.workers} worker(s) and
        overlap the model&apos;s.
      </p>
    </details>
  );
}
