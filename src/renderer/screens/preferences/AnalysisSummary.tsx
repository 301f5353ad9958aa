import type { AnalysisView } from '../../../shared/preference';

const ROWS_PER_SECTION = 12;
const TEXT_MAX = 140;

type Leaf = [key: string, value: string];

/**
 * The video's analysis, for a video that is not imported into Framelab: its newest version,
 * one card a top-level section, each with its values (nested keys joined with dots).
 */
export function AnalysisSummary({ videoId, analyses }: { videoId: string; analyses: AnalysisView | null }) {
  const newest = analyses?.current[0];
  if (!analyses) return <p className="loading">Loading the analysis…</p>;
  if (!newest) {
    return (
      <div className="rate-no-media" data-testid="analysis-summary">
        <p>
          <strong>{videoId}</strong> is not imported into Framelab and has no analysis: rate it from what you know of it, or import the
          video (Videos) or its analysis (<code>framelab preference analyses import FILE</code>).
        </p>
      </div>
    );
  }
  const general: Leaf[] = [];
  const sections: [string, Leaf[]][] = [];
  for (const [key, value] of Object.entries(newest.analysis)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      sections.push([key, leaves(value as Record<string, unknown>)]);
    else general.push([key, show(value)]);
  }
  if (general.length) sections.unshift(['general', general]);
  const older = analyses.current.slice(1).map((c) => c.version);
  return (
    <div className="rate-analysis" data-testid="analysis-summary">
      <p className="rate-analysis-head">
        <strong>{videoId}</strong> is not imported into Framelab: its analysis stands in for the video.{' '}
        <span className="muted">
          Version {newest.version}
          {newest.featureCount !== null ? ` · ${newest.featureCount} features` : ''} · imported {newest.importedAt.slice(0, 10)}
          {older.length ? ` · also ${older.join(', ')}` : ''}
        </span>
      </p>
      <div className="rate-analysis-sections">
        {sections.map(([name, rows]) => (
          <section key={name} className="rate-analysis-section" aria-label={name}>
            <h3>{name}</h3>
            <dl>
              {rows.slice(0, ROWS_PER_SECTION).map(([k, v]) => (
                <div className="row" key={k}>
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
            {rows.length > ROWS_PER_SECTION && <p className="muted small">and {rows.length - ROWS_PER_SECTION} more</p>}
          </section>
        ))}
      </div>
    </div>
  );
}

/** Every value under an object, keys joined with dots. */
function leaves(object: Record<string, unknown>, prefix = ''): Leaf[] {
  return Object.entries(object).flatMap(([key, value]): Leaf[] => {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return leaves(value as Record<string, unknown>, name);
    return [[name, show(value)]];
  });
}

function show(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = '—';
  else if (typeof value === 'boolean') text = value ? 'yes' : 'no';
  else if (typeof value === 'number') text = Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)));
  else if (Array.isArray(value))
    text = value.length === 0 ? 'none' : value.every((v) => typeof v !== 'object') ? value.join(', ') : `${value.length} items`;
  else text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > TEXT_MAX ? `${text.slice(0, TEXT_MAX - 1)}…` : text;
}
