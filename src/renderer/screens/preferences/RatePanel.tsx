import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { KeyList } from '../../components/KeyList';
import { NoteEditor } from '../../components/NoteEditor';
import { useStore } from '../../store';
import { loadRateList, loadRateSetup, saveRating, setNote } from '../../store/ratingActions';
import { SCORE_FIELDS } from '../../store/rateScores';
import type { RateView } from '../../store/ratingSlice';
import { AnalysisSummary } from './AnalysisSummary';
import { KeySheet } from './KeySheet';
import { RaterPicker } from './RaterPicker';
import { RatePlayer, lastAtOrBefore } from './RatePlayer';
import { PLAYER_KEYS, RATE_KEYS } from './rateKeys';
import { RatingHistoryList, RatingLine } from './RatingHistoryList';
import { ScoreField } from './ScoreField';
import { useRateKeys, type PlayerControls } from './useRateKeys';
import './rate.css';

const VIEWS: { view: RateView; label: string }[] = [
  { view: 'queue', label: 'To rate' },
  { view: 'rated', label: 'Rated' },
];

/**
 * Rate (issue 19 item 2): the owner watches a video (or reads its analysis when it is not
 * imported) and scores it, keyboard-first: a key a field, digits for the score, Enter saves and
 * shows the next video. Every save is a new history entry.
 */
export function RatePanel() {
  const rater = useStore((s) => s.rater);
  const raterType = useStore((s) => s.raterType);
  const view = useStore((s) => s.rateView);
  const counts = useStore((s) => s.rateCounts);
  const total = useStore((s) => s.rateTotal);
  const position = useStore((s) => s.ratePosition);
  const rateVideo = useStore((s) => s.rateVideo);
  const note = useStore((s) => s.rateNote);
  const saving = useStore((s) => s.rateSaving);
  const [picking, setPicking] = useState(false);
  const [noteOpen, setNoteOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [frameAt, setFrameAt] = useState(0);
  const videoRef = useRef<HTMLVideoElement | null>(null);

  useEffect(() => {
    void loadRateSetup();
  }, []);
  useEffect(() => setFrameAt(0), [rateVideo?.videoId]);

  const frames = rateVideo?.frames;
  const player = useMemo<PlayerControls>(
    () => ({
      togglePlay: () => {
        const v = videoRef.current;
        if (v) void (v.paused ? v.play().catch(() => undefined) : v.pause());
      },
      seekBy: (seconds) => {
        const v = videoRef.current;
        if (v) v.currentTime = Math.max(0, Math.min(v.duration || Infinity, v.currentTime + seconds));
      },
      stepFrame: (delta) => {
        if (!frames?.length) return;
        const v = videoRef.current;
        const clamp = (i: number) => Math.max(0, Math.min(frames.length - 1, i));
        if (!v) return setFrameAt((at) => clamp(at + delta));
        v.pause();
        v.currentTime = frames[clamp(lastAtOrBefore(frames, v.currentTime) + delta)]!.timestampS;
      },
    }),
    [frames],
  );
  const openNote = useCallback(() => setNoteOpen(true), []);
  const toggleHelp = useCallback(() => setHelpOpen((o) => !o), []);
  useRateKeys({ enabled: !!rater && !picking && !noteOpen && !helpOpen, onNote: openNote, onHelp: toggleHelp, player });

  if (!rater || picking) {
    return (
      <RaterPicker
        initialRater={rater ?? ''}
        initialType={raterType}
        onDone={() => setPicking(false)}
        onCancel={rater ? () => setPicking(false) : undefined}
      />
    );
  }

  const mine = rateVideo?.history?.current.find((r) => r.rater === rater);
  const shape = rateVideo?.video;
  // A portrait video is fitted to the height and the columns beside it take the rest of the
  // width; a landscape one takes the width, with the keys under the scores.
  const layout = !shape ? 'analysis' : shape.width && shape.height && shape.width > shape.height ? 'landscape' : 'portrait';
  const others = rateVideo?.history?.current.filter((r) => r.rater !== rater) ?? [];
  return (
    <div className="rate">
      <div className="coding-bar">
        <div role="tablist" aria-label="Videos">
          {VIEWS.map((v) => (
            <button
              key={v.view}
              role="tab"
              type="button"
              aria-selected={view === v.view}
              className={view === v.view ? 'active' : ''}
              onClick={(e) => {
                useStore.getState().setRateView(v.view);
                void loadRateList(0);
                e.currentTarget.blur();
              }}
            >
              {v.label}
              {counts ? ` (${v.view === 'queue' ? counts.remaining : counts.rated})` : ''}
            </button>
          ))}
        </div>
        <span className="counter" data-testid="rate-counter">
          {counts ? `${counts.rated} of ${counts.candidates} rated by ${rater}` : ''}
        </span>
        <span className="rate-rater">
          Rating as <strong data-testid="rater">{rater}</strong> <span className="badge">{raterType}</span>{' '}
          <button type="button" className="link" onClick={() => setPicking(true)}>
            Change
          </button>
        </span>
      </div>

      {!rateVideo ? (
        <>
          <SaveMessage />
          <p className="empty" data-testid="rate-empty">
            {counts === null
              ? 'Loading…'
              : counts.candidates === 0
                ? 'Nothing to rate yet: import videos (Videos, Ctrl+5) or their analyses (framelab preference analyses import FILE).'
                : view === 'queue'
                  ? `Every video is rated by ${rater}: ${counts.rated} of ${counts.candidates}. Rate one again from Rated.`
                  : `${rater} has not rated any video yet.`}
          </p>
        </>
      ) : (
        <div className={`rate-main ${layout}`}>
          {rateVideo.video ? (
            <RatePlayer video={rateVideo.video} frames={rateVideo.frames} videoRef={videoRef} frameAt={frameAt} />
          ) : (
            <AnalysisSummary videoId={rateVideo.videoId} analyses={rateVideo.analyses} />
          )}
          <aside className="rate-side" aria-label="Rating">
            <div className="rate-title">
              <h2 data-testid="rate-video-id">{rateVideo.videoId}</h2>
              <span className="muted small">
                {position + 1} of {total} {view === 'queue' ? 'to rate' : 'rated'}
                {rateVideo.analyses?.current[0] ? ` · analysis ${rateVideo.analyses.current[0].version}` : ''}
                {rateVideo.video ? '' : ' · not imported'}
              </span>
            </div>
            <div className="score-fields">
              {SCORE_FIELDS.map((f) => (
                <ScoreField key={f} field={f} />
              ))}
            </div>
            {noteOpen ? (
              <NoteEditor initial={note} onSave={setNote} onClose={() => setNoteOpen(false)} saveLabel="Keep note" />
            ) : (
              <button type="button" className="rate-note" onClick={() => setNoteOpen(true)} data-testid="rate-note">
                <kbd>N</kbd> {note ? <span className="note">“{note}”</span> : <span className="muted">Add a note</span>}
              </button>
            )}
            <div className="rate-save">
              <button type="button" className="primary" disabled={saving} onClick={() => void saveRating()}>
                <kbd>Enter</kbd> Save and next
              </button>
              <SaveMessage />
            </div>
            <section aria-label="Your rating">
              <h3>Your rating</h3>
              {mine ? (
                <ol className="rating-history">
                  <RatingLine rating={mine} mine />
                </ol>
              ) : (
                <p className="muted small">Not rated by you yet.</p>
              )}
              {others.length > 0 && (
                <p className="muted small">
                  Also rated by {others.length} other {others.length === 1 ? 'rater' : 'raters'}: see the history.
                </p>
              )}
            </section>
            <details className="rate-history" open={(rateVideo.history?.entries.length ?? 0) > 0}>
              <summary>History ({rateVideo.history?.entries.length ?? 0})</summary>
              {rateVideo.history && <RatingHistoryList entries={rateVideo.history.entries} rater={rater} />}
            </details>
          </aside>
          <aside className="rate-info" aria-label="Keys">
            <h3>Keys</h3>
            <KeyList hints={RATE_KEYS} className="shortcuts rate-keys" label="Rating keys" />
            <KeyList hints={PLAYER_KEYS} className="shortcuts rate-keys" label="Video keys" />
          </aside>
        </div>
      )}
      {helpOpen && <KeySheet onClose={() => setHelpOpen(false)} />}
    </div>
  );
}

/** The last save's outcome, or why it could not save: next to the Save button, or above the empty queue. */
function SaveMessage() {
  const message = useStore((s) => s.rateMessage);
  if (!message) return null;
  return (
    <p
      className={`small ${message.kind === 'error' ? 'bad' : 'good'}`}
      role={message.kind === 'error' ? 'alert' : 'status'}
      data-testid="rate-message"
    >
      {message.text}
    </p>
  );
}
