import { KeyList, type KeyHint } from '../../components/KeyList';
import { KeySheetFrame } from '../../components/KeySheetFrame';
import { appChordHints } from '../../shortcuts';
import { PLAYER_KEYS, RATE_KEYS } from './rateKeys';

/** The app's own chords, from the list shortcuts.ts dispatches from: they work on every screen, so no screen key uses Ctrl. */
const APP_KEYS: KeyHint[] = appChordHints();

/** `?` on the Rate panel: every key of the panel and of the app, on one sheet; ? or Esc closes it. */
export function KeySheet({ onClose }: { onClose: () => void }) {
  return (
    <KeySheetFrame onClose={onClose}>
      <section>
        <h3>Rating</h3>
        <KeyList hints={RATE_KEYS} label="Rating keys" />
      </section>
      <section>
        <h3>Video</h3>
        <KeyList hints={PLAYER_KEYS} label="Video keys" />
      </section>
      <section>
        <h3>Everywhere</h3>
        <KeyList hints={APP_KEYS} label="App keys" />
      </section>
    </KeySheetFrame>
  );
}
