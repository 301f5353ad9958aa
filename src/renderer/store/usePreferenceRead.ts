import { useCallback, useEffect, useState } from 'react';
import type { MethodName, Output } from '../../shared/api';
import { client } from '../api/client';
import { useStore } from './index';
import { notifyError } from './notifyError';

/**
 * One API read that refetches whenever the preference data changes (ratings saved or imported,
 * analyses imported, a correlation run, a model trained or activated): the panels never poll.
 */
export function usePreferenceRead<M extends MethodName>(method: M, input: unknown = {}): { data: Output<M> | null; reload: () => void } {
  const preference = useStore((s) => s.topicVersions.preference ?? 0);
  const ratings = useStore((s) => s.topicVersions.ratings ?? 0);
  const analyses = useStore((s) => s.topicVersions.analyses ?? 0);
  const [data, setData] = useState<Output<M> | null>(null);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(input);
  useEffect(() => {
    let live = true;
    client()
      .call(method, JSON.parse(key) as never)
      .then((value) => live && setData(value as Output<M>), notifyError);
    return () => {
      live = false;
    };
  }, [method, key, preference, ratings, analyses, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, reload };
}
