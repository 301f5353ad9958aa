import type { AnalysisColumn } from '../../../shared/analysis';
import { useStore } from '../../store';
import { rolesFor, type ColumnRole } from '../../store/analysisDraft';

const ROLE_LABEL: Record<ColumnRole, string> = {
  outcome: 'outcome (count)',
  predictor: 'predictor',
  control: 'control',
  categorical: 'control, categorical C()',
};

/**
 * Every column with its type, missing values and source, and the role the lead gives it.
 * Missing values are shown because a model leaves out a row missing any of its variables.
 */
export function ColumnsCard({ columns, rows }: { columns: AnalysisColumn[]; rows: number }) {
  const draft = useStore((s) => s.analysisDraft);
  const setDraft = useStore((s) => s.setAnalysisDraft);
  const setRole = (name: string, role: ColumnRole | '') => {
    const roles = { ...draft.roles };
    if (role) roles[name] = role;
    else delete roles[name];
    // A column that stops being a predictor leaves the focal sets and PDP pairs it was in.
    const keep = (n: string) => n !== name || role === 'predictor';
    setDraft({
      roles,
      focal: draft.focal.filter((g) => g.every(keep)),
      pdpPairs: draft.pdpPairs.filter((p) => p.every((n) => n !== name || role === 'predictor' || role === 'control')),
    });
  };
  const count = (role: ColumnRole) => Object.values(draft.roles).filter((r) => r === role).length;
  return (
    <article className="card" aria-labelledby="analysis-columns-title">
      <header className="screen-head">
        <h2 id="analysis-columns-title">Columns</h2>
        <span className="muted small" data-testid="analysis-role-counts">
          {count('outcome')} outcomes · {count('predictor')} predictors · {count('control') + count('categorical')} controls
        </span>
      </header>
      <div className="analysis-columns-wrap">
        <table className="analysis-columns">
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Type</th>
              <th scope="col" className="num">
                Missing
              </th>
              <th scope="col" className="num">
                Distinct
              </th>
              <th scope="col">From</th>
              <th scope="col">Role</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((c) => {
              const isId = c.name === draft.id;
              return (
                <tr key={c.name} data-testid={`column-${c.name}`} className={draft.roles[c.name] ? `role-${draft.roles[c.name]}` : ''}>
                  <td className="mono">{c.name}</td>
                  <td>{c.type}</td>
                  <td className={`num ${c.missing ? 'warn' : ''}`}>
                    {c.missing ? `${c.missing.toLocaleString()} (${((100 * c.missing) / Math.max(rows, 1)).toFixed(1)}%)` : '—'}
                  </td>
                  <td className="num">{c.distinct.toLocaleString()}</td>
                  <td className="muted small">{c.source ?? 'table'}</td>
                  <td>
                    {isId ? (
                      <span className="muted">id</span>
                    ) : (
                      <select
                        aria-label={`Role of ${c.name}`}
                        value={draft.roles[c.name] ?? ''}
                        onChange={(e) => setRole(c.name, e.target.value as ColumnRole | '')}
                      >
                        <option value="">not used</option>
                        {rolesFor(c).map((r) => (
                          <option key={r} value={r}>
                            {ROLE_LABEL[r]}
                          </option>
                        ))}
                      </select>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </article>
  );
}
