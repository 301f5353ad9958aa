import type { IcrReport, IcrStatistic } from '../../../shared/icr';
import { fmt } from '../../../shared/icrReadings';

/** One figure with its interval and its accepted reading. */
export function Headline({
  label,
  value,
  statistic,
  report,
  reading,
}: {
  label: string;
  value: number | null;
  statistic: IcrStatistic;
  report: IcrReport;
  reading: string;
}) {
  const ci = report.ci[statistic];
  return (
    <article className="card figure" data-testid={`figure-${statistic}`}>
      <h3>{label}</h3>
      <p className="figure-value">{fmt(value)}</p>
      <p className="muted small">{ci ? `95% CI [${fmt(ci[0])}, ${fmt(ci[1])}]` : 'no interval'}</p>
      <p className="small">{reading}</p>
    </article>
  );
}
