import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { QUEUE_FILTERS, type QueueFilter } from '../../../shared/coding';
import { KeyList } from '../../components/KeyList';
import { NoteEditor } from '../../components/NoteEditor';
import { useStore } from '../../store';
import { chooseCoder, loadCodingSetup, loadQueue, pressCategory, saveNote, toggleUnsure } from '../../store/codingActions';
import { CodebookPanel } from './CodebookPanel';
import { codingHints } from './codingKeys';
import { FrameView } from './FrameView';
import { DimensionPanel } from './DimensionPanel';
import { useCodingKeys } from './useCodingKeys';
import { Screen } from '../../components/Screen';
import './coding.css';

const FILTER_LABELS: Record<QueueFilter, string> = { all: 'All', uncoded: 'Uncoded', flagged: 'Flagged', recode: 'Re-code' };

/** Keyboard-first coding: the frame large, one key per category, saved when every dimension is set. */
export function CodingScreen() {
  const coders = useStore((s) => s.coders);
  const coderId = useStore((s) => s.coderId);
  const setRole = useStore((s) => s.setRole);
  const filter = useStore((s) => s.filter);
  const setFilter = useStore((s) => s.setFilter);
  const counts = useStore((s) => s.counts);
  const pendingSaves = useStore((s) => s.pendingSaves.length);
  const codebook = useStore((s) => s.codebook);
  // The queue comes a page at a time: the position and total are in the whole filtered queue.
  const queueLength = useStore((s) => Math.max(s.queueTotal, s.queueOffset + s.queue.length));
  const position = useStore((s) => s.queueOffset + s.queue.findIndex((f) => f.frameId === s.currentFrameId));
  const frame = useStore(useShallow((s) => s.queue.find((f) => f.frameId === s.currentFrameId) ?? null));
  const tabFinished = useStore((s) => s.tabFinished);
  const keySheetOpen = useStore((s) => s.keySheetOpen);
  const [noteOpen, setNoteOpen] = useState(false);

  useEffect(() => {
    void loadCodingSetup();
  }, []);
  useCodingKeys({ onNote: () => setNoteOpen(true), enabled: !noteOpen && !keySheetOpen });

  if (!codebook) return <p className="loading">Loading the codebook…</p>;
  if (coders.length === 0) {
    return (
      <section className="screen">
        <h1>Coding</h1>
        <p className="empty">No coders yet. The lead adds coders and assigns frames in Coders.</p>
      </section>
    );
  }

  return (
    <Screen
      id="coding"
      title="Coding"
      className="coding"
      head={
        <label className="coder-picker">
          Coder{' '}
          <select
            aria-label="Coder"
            value={coderId ?? ''}
            onChange={(e) => {
              // A select keeps the keys (type-ahead) while focused: after a choice they belong to coding again.
              e.currentTarget.blur();
              // Choosing who codes is one way into a role: a coder's window (Coding only), or a named lead's.
              const person = coders.find((c) => c.coderId === e.target.value);
              setRole(person?.role === 'lead' ? { kind: 'lead', leadId: e.target.value } : { kind: 'coder', coderId: e.target.value });
              void chooseCoder(e.target.value);
            }}
          >
            <option value="" disabled>
              Choose…
            </option>
            {coders.map((c) => (
              <option key={c.coderId} value={c.coderId}>
                {c.name === c.coderId ? c.coderId : `${c.name} (${c.coderId})`}
              </option>
            ))}
          </select>
        </label>
      }
    >
      {!coderId ? (
        <p className="empty">Choose who is coding. Framelab remembers it on this machine.</p>
      ) : (
        <>
          <div className="coding-bar">
            <div role="tablist" aria-label="Filter">
              {QUEUE_FILTERS.map((f) => (
                <button
                  key={f}
                  role="tab"
                  type="button"
                  aria-selected={filter === f}
                  className={filter === f ? 'active' : ''}
                  onClick={() => {
                    setFilter(f);
                    void loadQueue();
                  }}
                >
                  {FILTER_LABELS[f]}
                  {f === 'flagged' && counts ? ` (${counts.flagged})` : ''}
                  {f === 'recode' && counts ? ` (${counts.recode})` : ''}
                </button>
              ))}
            </div>
            {tabFinished && (
              <span className="tab-finished" role="status" data-testid="coding-status">
                That was the last frame of {FILTER_LABELS[tabFinished]}: here is the next uncoded frame.
              </span>
            )}
            {pendingSaves > 0 && (
              <span className="saving muted small" role="status" data-testid="coding-saving">
                Saving {pendingSaves === 1 ? 'the last frame' : `${pendingSaves} frames`}…
              </span>
            )}
            {counts && (
              <span className="counter" data-testid="coding-counter">
                {counts.done} / {counts.assigned} done
              </span>
            )}
          </div>
          {!frame ? (
            <p className="empty" data-testid="coding-empty">
              {counts?.assigned === 0
                ? 'No frames are assigned to you yet.'
                : filter === 'uncoded'
                  ? `All ${counts?.assigned ?? ''} of your assigned frames are coded. Nice work: the All tab shows them.`
                  : 'Nothing here for this filter.'}
            </p>
          ) : (
            <div className="coding-main">
              <FrameView frame={frame} position={position} total={queueLength} />
              <div className="coding-side">
                {codebook.dimensions.map((d) => (
                  <DimensionPanel key={d.name} dimension={d} frame={frame} onPick={(v) => void pressCategory(d.name, v)} />
                ))}
                <div className="flag-row">
                  <button type="button" onClick={() => void toggleUnsure()} aria-pressed={!!frame.flag?.unsure}>
                    <kbd>U</kbd> {frame.flag?.unsure ? 'Unsure (flagged)' : 'Mark unsure'}
                  </button>
                  <button type="button" onClick={() => setNoteOpen(true)}>
                    <kbd>N</kbd> Note
                  </button>
                </div>
                {noteOpen && (
                  <NoteEditor initial={frame.flag?.note ?? ''} onSave={(text) => void saveNote(text)} onClose={() => setNoteOpen(false)} />
                )}
                {frame.flag?.note && !noteOpen && (
                  <p className="note" data-testid="frame-note">
                    “{frame.flag.note}”
                  </p>
                )}
                <CodebookPanel codebook={codebook} />
                <KeyList hints={[...codingHints(), { keys: ['?'], label: 'every key of the app' }]} />
              </div>
            </div>
          )}
        </>
      )}
    </Screen>
  );
}
