import { useEffect } from 'react';
import { PLAYER_KEYS, RATE_KEYS } from '../screens/preferences/rateKeys';
import { codingHints } from '../screens/coding/codingKeys';
import { appChordHints } from '../shortcuts';
import { useStore } from '../store';
import { KeyList, type KeyHint } from './KeyList';
import { KeySheetFrame } from './KeySheetFrame';
import { loadCodebook } from '../store/codingActions';

/**
 * Keys of screens whose handlers are written inline (analysis/SetupPanel.tsx, RunDetail.tsx;
 * components/NoteEditor.tsx). The app's chords, the coding keys and the rating keys come from
 * the lists their handlers dispatch from.
 */
const ANALYSIS_KEYS: KeyHint[] = [
  { keys: ['Ctrl+Enter'], label: 'run the analysis (Set up)' },
  { keys: ['←', '→'], label: 'previous / next outcome (a run)' },
];
const NOTE_KEYS: KeyHint[] = [
  { keys: ['Enter'], label: 'keep the note' },
  { keys: ['Shift+Enter'], label: 'new line' },
  { keys: ['Esc'], label: 'leave it unchanged' },
];

/** `?` on any screen: every key of the app on one sheet, the codebook's own keys included; ? or Esc closes it. */
export function KeySheet() {
  const open = useStore((s) => s.keySheetOpen);
  if (!open) return null;
  return <KeySheetDialog />;
}

function KeySheetDialog() {
  const close = () => useStore.getState().setKeySheetOpen(false);
  const codebook = useStore((s) => s.codebook);
  const role = useStore((s) => s.role);
  useEffect(() => {
    // The sheet lists the category keys even when Coding was never opened.
    if (!codebook) loadCodebook().catch(() => undefined);
  }, [codebook]);
  const categoryKeys: KeyHint[] = (codebook?.dimensions ?? []).map((d) => ({
    keys: d.categories.map((c) => c.shortcut.toUpperCase()),
    label: `${d.label}: ${d.categories.map((c) => c.value).join(' / ')}`,
  }));
  return (
    <KeySheetFrame onClose={close} footnote="Keys without Ctrl do nothing while you type in a field.">
      <section>
        <h3>Everywhere</h3>
        <KeyList hints={appChordHints(role)} label="App keys" />
      </section>
      <section>
        <h3>Coding</h3>
        <KeyList hints={[...categoryKeys, ...codingHints()]} label="Coding keys" />
        <p className="muted small">Z, U, N, J, K and Space belong to the coding view: no codebook category can use them.</p>
      </section>
      {role.kind === 'lead' && (
        <section>
          <h3>Preferences › Rate</h3>
          <KeyList hints={[...RATE_KEYS, ...PLAYER_KEYS.filter((k) => !k.keys.includes('?'))]} label="Rating keys" />
        </section>
      )}
      <section>
        {role.kind === 'lead' && (
          <>
            <h3>Analysis</h3>
            <KeyList hints={ANALYSIS_KEYS} label="Analysis keys" />
          </>
        )}
        <h3>Writing a note</h3>
        <KeyList hints={NOTE_KEYS} label="Note keys" />
      </section>
    </KeySheetFrame>
  );
}
