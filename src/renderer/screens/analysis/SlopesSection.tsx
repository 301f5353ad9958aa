import { useMemo } from 'react';
import type { SimpleSlope } from '../../../shared/analysis';
import { groupSlopes, simpleSlopesPlot } from '../../../shared/plots';
import { Figure } from './Figure';

/**
 * The simple-slopes panels of one outcome: one figure per focal interaction term with p below
 * the run's threshold (for a three-way term, a panel per level of the second moderator).
 */
export function SlopesSection({ slopes, threshold }: { slopes: SimpleSlope[]; threshold: number }) {
  const figures = useMemo(
    () =>
      groupSlopes(slopes).map((group) => {
        const s = group[0]!;
        const title = `${s.term} (focal ${s.focal.join(' × ')})`;
        // A three-way term's panels (one per level of the second moderator) take a whole row.
        // Runs made before slopes carried their range cannot be drawn: said, not hidden.
        return { title, wide: s.term.split(':').length > 2, svg: s.range ? simpleSlopesPlot(group, s.range, { theme: 'inherit' }) : null };
      }),
    [slopes],
  );
  return (
    <section className="card" aria-labelledby="analysis-slopes-title">
      <h3 id="analysis-slopes-title">Simple slopes</h3>
      {figures.length === 0 ? (
        <p className="empty small">No focal interaction term of this outcome has p below {threshold}: there are no slopes to probe.</p>
      ) : (
        <div className="analysis-figures">
          {figures.map((f) =>
            f.svg ? (
              <Figure key={f.title} svg={f.svg} wide={f.wide} testId="analysis-slopes-plot" />
            ) : (
              <p key={f.title} className="muted small">
                {f.title}: this run predates stored slope ranges; its plots/ folder has the figure.
              </p>
            ),
          )}
        </div>
      )}
    </section>
  );
}
