import { useEffect, useMemo, useState } from 'react';
import type { ExpectedCheck, ExpectedCorrelation, FeatureCorrelation } from '../../../../shared/preferenceModel';
import type { ExpectedList } from '../../../../shared/preferenceWorkflow';
import { notifyError } from '../../../store/notifyError';
import { expectedStatusOf, STATUS_TONE } from './expectedStatus';
import { fixed, formatP } from './format';
import { setExpected } from '../../../store/preferenceActions';

type Direction = ExpectedCorrelation['direction'];

/**
 * The expected strong correlations (the spec's §4.2 until edited), each marked confirmed / not
 * significant / opposite / absent against the correlations shown; directions changed, rows
 * removed and features added in place, saved through preference.expected.set (the old list is
 * kept as history by the core).
 */
export function ExpectedEditor({
  saved,
  features,
  checks = [],
}: {
  saved: ExpectedList;
  features: FeatureCorrelation[] | null;
  checks?: ExpectedCheck[];
}) {
  const [items, setItems] = useState<ExpectedCorrelation[]>(saved.expected);
  const [feature, setFeature] = useState('');
  const [direction, setDirection] = useState<Direction>('positive');
  const [saving, setSaving] = useState(false);
  useEffect(() => setItems(saved.expected), [saved]);
  const byFeature = useMemo(() => new Map((features ?? []).map((f) => [f.feature, f])), [features]);
  const dirty = JSON.stringify(items) !== JSON.stringify(saved.expected);
  const duplicate = items.some((i) => i.feature === feature.trim());

  const add = () => {
    const name = feature.trim();
    if (!name || duplicate) return;
    setItems([...items, { feature: name, direction }]);
    setFeature('');
  };
  const save = async () => {
    setSaving(true);
    try {
      await setExpected({ expected: items });
    } catch (err) {
      notifyError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="card pm-expected" aria-labelledby="pm-expected-title" data-testid="pm-expected">
      <div className="pm-section-head">
        <h3 id="pm-expected-title">Expected correlations</h3>
        <span className="muted small">
          {saved.isDefault ? "the spec's §4.2 list" : `edited ${saved.savedAt ? new Date(saved.savedAt).toLocaleString() : ''}`}
        </span>
      </div>
      {!features && <p className="muted small">Run correlations to check them.</p>}
      <table className="table pm-table">
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col">Expected</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              r
            </th>
            <th scope="col" className="num">
              p
            </th>
            <th scope="col">
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item, i) => {
            const { status, row } = expectedStatusOf(item, byFeature);
            // The run's own words (why a key is absent, the q) when this row is as it was run.
            const check = checks.find((c) => c.feature === item.feature && c.direction === item.direction);
            return (
              <tr key={item.feature} data-feature={item.feature} data-status={features ? status : 'unchecked'}>
                <td className="mono">{item.feature}</td>
                <td>
                  <select
                    aria-label={`Expected direction of ${item.feature}`}
                    value={item.direction}
                    onChange={(e) => setItems(items.map((x, j) => (j === i ? { ...x, direction: e.target.value as Direction } : x)))}
                  >
                    <option value="positive">positive</option>
                    <option value="negative">negative</option>
                  </select>
                </td>
                <td className={features ? STATUS_TONE[status] : 'muted'} title={check?.note}>
                  {features ? status : '—'}
                  {check && status === 'absent' && <div className="small muted pm-check-note">{check.note}</div>}
                </td>
                <td className="num">{fixed(row?.r ?? null)}</td>
                <td className="num">{formatP(row?.p ?? null)}</td>
                <td>
                  <button
                    type="button"
                    className="pm-remove"
                    aria-label={`Remove ${item.feature}`}
                    onClick={() => setItems(items.filter((_, j) => j !== i))}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <form
        className="form pm-expected-add"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <label>
          Feature
          <input
            list="pm-feature-names"
            value={feature}
            onChange={(e) => setFeature(e.target.value)}
            placeholder="e.g. script.humor.comedyTiming"
            aria-label="Expected feature"
          />
        </label>
        <datalist id="pm-feature-names">
          {(features ?? []).map((f) => (
            <option key={f.feature} value={f.feature} />
          ))}
        </datalist>
        <label>
          Direction
          <select value={direction} onChange={(e) => setDirection(e.target.value as Direction)} aria-label="Direction of the new feature">
            <option value="positive">positive</option>
            <option value="negative">negative</option>
          </select>
        </label>
        <button type="submit" disabled={!feature.trim() || duplicate}>
          Add
        </button>
        <span className="grow" />
        {dirty && <span className="missing small">Unsaved changes</span>}
        <button type="button" onClick={() => setItems(saved.expected)} disabled={!dirty || saving}>
          Revert
        </button>
        <button type="button" className="primary" onClick={() => void save()} disabled={!dirty || saving}>
          {saving ? 'Saving…' : 'Save expected list'}
        </button>
      </form>
      {duplicate && <p className="small missing">{feature.trim()} is already in the list.</p>}
    </section>
  );
}
