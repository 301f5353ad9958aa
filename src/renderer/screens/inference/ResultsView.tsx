import { useState } from 'react';
import type { InferResultsView, ModelDistribution } from '../../../shared/inferResults';
import { ExportResults } from './ExportResults';
import { VideoFrames } from './VideoFrames';

const pct = (x: number) => `${(x * 100).toFixed(x >= 0.995 || x === 0 ? 0 : 1)}%`;

function samplingText(view: InferResultsView): string {
  const s = view.overview.sampling;
  if (s.kind === 'every') return `every ${s.seconds} s`;
  return `${s.count} per video${s.random ? ` at random times (seed ${s.seed})` : ', evenly spaced'}`;
}

/** A run's results: in brief, class distribution per model, the videos (search, pages), a video's frames, errors, export. */
export function ResultsView({
  view,
  search,
  onSearch,
  onPage,
  running,
}: {
  view: InferResultsView;
  /** A job is writing this folder now. */
  running: boolean;
  search: string;
  onSearch: (text: string) => void;
  onPage: (offset: number) => void;
}) {
  const [videoId, setVideoId] = useState<string | null>(null);
  const { overview, videos } = view;
  const pageSize = 50;
  return (
    <>
      <article className="card">
        <dl className="infer-overview" data-testid="infer-overview">
          <div className="row">
            <dt>Models</dt>
            <dd>{overview.models.map((m) => m.id).join(', ')}</dd>
          </div>
          <div className="row">
            <dt>Frames</dt>
            <dd>{samplingText(view)}</dd>
          </div>
          {overview.shard && (
            <div className="row">
              <dt>Shard</dt>
              <dd>
                {overview.shard.index}/{overview.shard.count}
              </dd>
            </div>
          )}
          <div className="row">
            <dt>Videos</dt>
            <dd data-testid="infer-counts">
              {overview.videos} read · {overview.frames} frames · {overview.errors} could not be read
            </dd>
          </div>
        </dl>
        {!overview.complete && (
          <p className="small muted">
            Partial: these are the videos saved so far (at every checkpoint); the CSVs are written when the run ends.
            {running ? '' : ' To finish it, resume the run (or start it again on the same folder, without "Start over").'}
          </p>
        )}
      </article>

      <article className="card">
        <h2>Class distribution</h2>
        <div className="distributions">
          {view.distribution.map((d) => (
            <Distribution key={d.dimension} dist={d} frames={overview.frames} videos={overview.videos} />
          ))}
        </div>
      </article>

      <article className="card">
        <div className="run-item-head">
          <h2>Videos</h2>
          <input
            type="search"
            aria-label="Search videos"
            placeholder="Search video id…"
            value={search}
            onChange={(e) => onSearch(e.target.value)}
          />
        </div>
        {videos.total === 0 ? (
          <p className="empty">{search ? `No video id contains "${search}".` : 'No video read yet.'}</p>
        ) : (
          <>
            <table className="table infer-videos" data-testid="infer-videos">
              <thead>
                <tr>
                  <th>Video</th>
                  <th>Frames</th>
                  {overview.models.map((m) => (
                    <th key={m.dimension}>
                      {m.dimension} <span className="muted small">(share)</span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {videos.rows.map((v) => (
                  <tr key={v.videoId} className={videoId === v.videoId ? 'selected' : ''} data-video-id={v.videoId}>
                    <td>
                      <button
                        type="button"
                        className="link mono"
                        onClick={() => setVideoId(v.videoId === videoId ? null : v.videoId)}
                        aria-expanded={videoId === v.videoId}
                      >
                        {v.videoId}
                      </button>
                    </td>
                    <td>{v.nFrames}</td>
                    {overview.models.map((m) => (
                      <td key={m.dimension}>
                        {v.models[m.dimension]?.pred} <span className="muted small">({pct(v.models[m.dimension]?.share ?? 0)})</span>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="pager small">
              <button type="button" disabled={videos.offset === 0} onClick={() => onPage(Math.max(0, videos.offset - pageSize))}>
                Previous
              </button>
              <span data-testid="infer-page">
                {videos.offset + 1}–{videos.offset + videos.rows.length} of {videos.total}
              </span>
              <button
                type="button"
                disabled={videos.offset + videos.rows.length >= videos.total}
                onClick={() => onPage(videos.offset + pageSize)}
              >
                Next
              </button>
            </div>
          </>
        )}
      </article>

      {videoId && <VideoFrames key={videoId} outDir={overview.outDir} videoId={videoId} onClose={() => setVideoId(null)} />}

      {view.errorRows.length > 0 && (
        <details className="card" data-testid="infer-errors">
          <summary>
            {overview.errors} video(s) could not be read
            {overview.errors > view.errorRows.length ? ` (first ${view.errorRows.length} shown; errors.csv has all)` : ''}
          </summary>
          <table className="table">
            <thead>
              <tr>
                <th>Video</th>
                <th>Stage</th>
                <th>Reason</th>
                <th>Path</th>
              </tr>
            </thead>
            <tbody>
              {view.errorRows.map((e) => (
                <tr key={e.videoId}>
                  <td className="mono">{e.videoId}</td>
                  <td>{e.stage}</td>
                  <td>{e.reason}</td>
                  <td className="mono small">{e.path}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}

      <ExportResults outDir={overview.outDir} complete={overview.complete} />
    </>
  );
}

/** One model's classes: share of frames (bar) and of videos by majority vote (thin bar), with counts. */
function Distribution({ dist, frames, videos }: { dist: ModelDistribution; frames: number; videos: number }) {
  return (
    <figure className="distribution" data-testid={`dist-${dist.dimension}`}>
      <figcaption>
        {dist.modelId} <span className="muted small">· frames (thick) and videos by majority (thin)</span>
      </figcaption>
      {dist.classes.map((c) => (
        <div key={c.name} className="dist-row" data-class={c.name}>
          <span className="dist-name">{c.name}</span>
          <span className="dist-bars" aria-hidden="true">
            <span className="bar bar-frames" style={{ width: pct(frames ? c.frames / frames : 0) }} />
            <span className="bar bar-videos" style={{ width: pct(videos ? c.videos / videos : 0) }} />
          </span>
          <span className="dist-count small" data-testid="dist-count">
            {c.frames} frames · {c.videos} videos
          </span>
        </div>
      ))}
    </figure>
  );
}
