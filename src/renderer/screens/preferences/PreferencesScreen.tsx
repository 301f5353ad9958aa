import { useState } from 'react';
import { ModelPanel } from './ModelPanel';
import { RatePanel } from './RatePanel';

type Tab = 'rate' | 'model';
const TABS: { kind: Tab; label: string }[] = [
  { kind: 'rate', label: 'Rate' },
  { kind: 'model', label: 'Model' },
];

/**
 * The channel owner's area (issue 19): Rate is where the owner watches a video and scores it,
 * keyboard-first; Model is where the lead sees the correlations, the model versions, where
 * the lab is on the ladder and whether a retrain is due.
 */
export function PreferencesScreen() {
  const [tab, setTab] = useState<Tab>('rate');
  return (
    <section className="screen preferences" aria-labelledby="preferences-title">
      <header className="screen-head">
        <h1 id="preferences-title">Preferences</h1>
        <div role="tablist" aria-label="Preferences" className="tabs">
          {TABS.map((t) => (
            <button key={t.kind} type="button" role="tab" aria-selected={tab === t.kind} className={tab === t.kind ? 'active' : ''} onClick={() => setTab(t.kind)}>
              {t.label}
            </button>
          ))}
        </div>
      </header>
      {tab === 'rate' && <RatePanel />}
      {tab === 'model' && <ModelPanel />}
    </section>
  );
}
