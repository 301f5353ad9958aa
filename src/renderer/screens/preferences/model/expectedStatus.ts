import type { ExpectedCorrelation, ExpectedStatus, FeatureCorrelation } from '../../../../shared/preferenceModel';

/**
 * The expected list's status as the core decides it (confirmed: p < .05 in the expected
 * direction; opposite: p < .05 the other way; absent: not a model feature), computed here from
 * the shown correlations so an edit shows its status before it is saved.
 */
export function expectedStatusOf(
  item: ExpectedCorrelation,
  byFeature: Map<string, FeatureCorrelation>,
): { status: ExpectedStatus; row: FeatureCorrelation | null } {
  const row = byFeature.get(item.feature) ?? null;
  if (!row) return { status: 'absent', row: null };
  if (row.r === null || row.p === null || row.p >= 0.05) return { status: 'not significant', row };
  const positive = row.r > 0;
  return { status: positive === (item.direction === 'positive') ? 'confirmed' : 'opposite', row };
}

export const STATUS_TONE: Record<ExpectedStatus, string> = {
  confirmed: 'good',
  opposite: 'bad',
  'not significant': 'muted',
  absent: 'missing',
};
