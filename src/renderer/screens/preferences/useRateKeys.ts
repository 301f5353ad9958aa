import { useCallback } from 'react';
import { useStore } from '../../store';
import {
  discardDraft,
  pressDigit,
  pressHalf,
  pressNudge,
  saveRating,
  selectField,
  setScore,
  stepField,
  stepVideo,
} from '../../store/ratingActions';
import { usePlainKeys } from '../../usePlainKeys';
import { fieldForKey } from './rateKeys';

export interface PlayerControls {
  togglePlay(): void;
  seekBy(seconds: number): void;
  stepFrame(delta: number): void;
}

/** The Rate panel's keys (see RATE_KEYS and PLAYER_KEYS); modifier chords are left to the app. */
export function useRateKeys({
  enabled,
  onNote,
  onHelp,
  player,
}: {
  enabled: boolean;
  onNote: () => void;
  onHelp: () => void;
  player: PlayerControls;
}): void {
  const onKey = useCallback(
    (key: string) => {
      const field = fieldForKey(key);
      if (key === '?') onHelp();
      else if (!useStore.getState().rateVideo) return false;
      else if (field) selectField(field);
      else if (/^[0-9]$/.test(key)) pressDigit(Number(key));
      else if (key === '.' || key === ',') pressHalf();
      else if (key === 'ArrowUp') stepField(-1);
      else if (key === 'ArrowDown') stepField(1);
      else if (key === 'ArrowLeft') pressNudge(-0.5);
      else if (key === 'ArrowRight') pressNudge(0.5);
      else if (key === 'Backspace' || key === 'Delete') setScore(useStore.getState().rateField, null);
      else if (key === 'Enter') void saveRating();
      else if (key === 'Escape') discardDraft();
      else if (key === 'n') onNote();
      else if (key === 'PageDown') void stepVideo(1);
      else if (key === 'PageUp') void stepVideo(-1);
      else if (key === ' ' || key === 'k') player.togglePlay();
      else if (key === 'j') player.seekBy(-2);
      else if (key === 'l') player.seekBy(2);
      else if (key === '[') player.stepFrame(-1);
      else if (key === ']') player.stepFrame(1);
      else return false;
      return true;
    },
    [onNote, onHelp, player],
  );
  usePlainKeys(onKey, enabled);
}
