import { useEffect, useState, type RefObject } from 'react';
import type { FrameSummary, VideoSummary } from '../../../shared/media';
import { fileUrl, videoUrl } from '../../api/client';

/**
 * An imported video as big as the window allows (its own aspect ratio, fitted to the height for
 * portrait and to the width for landscape), with its sampled frames in a column beside it:
 * a frame seeks the video to its time. Without a playable file, the chosen frame stands in.
 */
export function RatePlayer({
  video,
  frames,
  videoRef,
  frameAt,
}: {
  video: VideoSummary;
  frames: FrameSummary[];
  videoRef: RefObject<HTMLVideoElement | null>;
  frameAt: number;
}) {
  const [time, setTime] = useState(0);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    setFailed(false);
    setTime(0);
  }, [video.videoId]);
  const playable = video.path !== null && !failed;
  const ratio = video.width && video.height ? video.width / video.height : 9 / 16;
  // The frame being shown: the chosen one without a player, else the last one at or before the playhead.
  const current = playable ? lastAtOrBefore(frames, time) : Math.min(frameAt, frames.length - 1);
  const still = frames[current];

  const seek = (f: FrameSummary) => {
    const v = videoRef.current;
    if (!v) return;
    v.pause();
    v.currentTime = f.timestampS;
  };

  return (
    <div className="rate-media">
      <div className="rate-stage" style={{ ['--ar' as string]: String(ratio) }} data-testid="rate-stage">
        {playable ? (
          <video
            ref={videoRef}
            key={video.videoId}
            src={videoUrl(video.videoId)}
            controls
            preload="metadata"
            aria-label={`Video ${video.videoId}`}
            data-testid="rate-video"
            onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
            onSeeked={(e) => setTime(e.currentTarget.currentTime)}
            onError={() => setFailed(true)}
          />
        ) : still?.image ? (
          <img src={fileUrl(still.image)} alt={`Frame ${still.frameId}`} />
        ) : null}
        {!playable && (
          <p className="rate-stage-note">
            {video.path === null
              ? 'This video has no file recorded here: its frames stand in for it.'
              : `The file cannot be played here (${video.path}): moved, or a format this browser does not play. Its frames stand in for it.`}
          </p>
        )}
      </div>
      {frames.length > 0 && (
        <ol className="rate-frames" aria-label="Sampled frames">
          {frames.map((f, i) => (
            <li key={f.frameId}>
              <button
                type="button"
                className={i === current ? 'current' : ''}
                onClick={() => seek(f)}
                title={f.frameId}
                aria-label={`Frame at ${f.timestampS.toFixed(1)} s`}
              >
                {f.thumb ? <img src={fileUrl(f.thumb)} alt="" /> : <span className="muted small">no image</span>}
                <span className="rate-frame-time">{f.timestampS.toFixed(1)} s</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function lastAtOrBefore(frames: FrameSummary[], seconds: number): number {
  let at = 0;
  frames.forEach((f, i) => {
    if (f.timestampS <= seconds + 0.05) at = i;
  });
  return at;
}
