import { useCallback, useState } from 'react';
import { FramelabError } from '../../shared/errors';

/**
 * A form's own outcome, shown next to its button (issue 20, item 5): the error of the last
 * attempt, or what it did. Not the app-wide notices: a person looks where they clicked. The
 * message goes when the form changes (`clear` on input) so it never describes an older attempt.
 */
export type Feedback = { kind: 'error' | 'success'; text: string } | null;

export function errorText(err: unknown): string {
  return err instanceof FramelabError ? err.message : `Unexpected error: ${err instanceof Error ? err.message : String(err)}`;
}

export function useFormFeedback() {
  const [feedback, setFeedback] = useState<Feedback>(null);
  const [busy, setBusy] = useState(false);
  const clear = useCallback(() => setFeedback(null), []);
  /** Runs the form's action; its failure (or `success(result)`, if given) is the form's feedback. Resolves to the result, or null on failure. */
  const run = useCallback(async <T,>(action: () => Promise<T>, success?: (result: T) => string | null): Promise<T | null> => {
    setFeedback(null);
    setBusy(true);
    try {
      const result = await action();
      const text = success?.(result);
      if (text) setFeedback({ kind: 'success', text });
      return result;
    } catch (err) {
      setFeedback({ kind: 'error', text: errorText(err) });
      return null;
    } finally {
      setBusy(false);
    }
  }, []);
  return { feedback, busy, run, clear, setFeedback };
}

export function FormFeedback({ feedback, testId }: { feedback: Feedback; testId?: string }) {
  if (!feedback) return null;
  return (
    <p
      className={`form-feedback ${feedback.kind === 'error' ? 'bad' : 'good'}`}
      role={feedback.kind === 'error' ? 'alert' : 'status'}
      data-testid={testId}
    >
      {feedback.text}
    </p>
  );
}
