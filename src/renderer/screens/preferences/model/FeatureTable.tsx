import { useMemo, useState } from 'react';
import type { FeatureCorrelation } from '../../../../shared/preferenceModel';
import { fixed, formatP, percent } from './format';

const PAGE = 40;

/** r as a bar around zero: right (accent) for positive, left (bad) for negative. */
export function RBar({ r }: { r: number | null }) {
  if (r === null) return <span className="muted">—</span>;
  const width = `${Math.min(1, Math.abs(r)) * 50}%`;
  return (
    <span className="pm-rbar" aria-hidden="true">
      <span className={r >= 0 ? 'pos' : 'neg'} style={r >= 0 ? { left: '50%', width } : { right: '50%', width }} />
    </span>
  );
}

/** Every model feature with r, p, q, tier and coverage, strongest first; a filter and paging by 40. */
export function FeatureTable({ features }: { features: FeatureCorrelation[] }) {
  const [filter, setFilter] = useState('');
  const [shown, setShown] = useState(PAGE);
  const rows = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f ? features.filter((x) => x.feature.toLowerCase().includes(f)) : features;
  }, [features, filter]);
  return (
    <section aria-labelledby="pm-features-title" className="pm-features">
      <div className="pm-section-head">
        <h3 id="pm-features-title">All features ({features.length})</h3>
        <label className="pm-filter">
          <span className="sr-only">Filter features</span>
          <input
            type="search"
            placeholder="Filter features…"
            aria-label="Filter features"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        </label>
      </div>
      <table className="table pm-table" data-testid="pm-feature-table">
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col" className="num">
              r
            </th>
            <th scope="col" aria-label="r as a bar" />
            <th scope="col" className="num">
              p
            </th>
            <th scope="col" className="num">
              q (BH)
            </th>
            <th scope="col">Tier</th>
            <th scope="col" className="num">
              Coverage
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, shown).map((f) => (
            <tr key={f.feature} data-feature={f.feature}>
              <td className="mono">{f.feature}</td>
              <td className="num">{fixed(f.r)}</td>
              <td>
                <RBar r={f.r} />
              </td>
              <td className="num">{formatP(f.p)}</td>
              <td className="num">{formatP(f.q)}</td>
              <td>
                <span className={`tier tier-${f.tier}`}>{f.tier}</span>
              </td>
              <td className="num">{percent(f.coverage)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > shown && (
        <button type="button" className="pm-more" onClick={() => setShown((s) => s + PAGE * 5)}>
          Show more ({rows.length - shown} left)
        </button>
      )}
      {rows.length === 0 && <p className="empty">No feature matches “{filter}”.</p>}
    </section>
  );
}

/** The top positive or negative features (the spec's top 20). */
export function TopList({ title, features, testId }: { title: string; features: FeatureCorrelation[]; testId: string }) {
  return (
    <section className="card pm-top" aria-label={title} data-testid={testId}>
      <h3>{title}</h3>
      {features.length === 0 ? (
        <p className="empty">None.</p>
      ) : (
        <ol>
          {features.map((f, i) => (
            <li key={f.feature} data-feature={f.feature}>
              <span className="pm-rank muted">{i + 1}.</span>
              <span className="mono pm-top-name" title={f.feature}>
                {f.feature}
              </span>
              <span className="num">{fixed(f.r, 2)}</span>
              <span>
                <span className={`tier tier-${f.tier}`}>{f.tier}</span>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
