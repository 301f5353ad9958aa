import { useState } from 'react';
import { ModelPanel } from './ModelPanel';
import { RatePanel } from './RatePanel';
import { Screen } from '../../components/Screen';
import { Tabs } from '../../components/Tabs';

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
    <Screen
      id="preferences"
      title="Preferences"
      className="preferences"
      head={<Tabs label="Preferences" tabs={TABS} active={tab} onSelect={setTab} />}
    >
      {tab === 'rate' && <RatePanel />}
      {tab === 'model' && <ModelPanel />}
    </Screen>
  );
}
