import { beforeEach, describe, expect, it } from 'vitest';
import type { JobSummary } from '../src/shared/jobs';
import { resetStore, useStore } from '../src/renderer/store';
import { applyEvent } from '../src/renderer/store/actions';
import { appChordHints, installShortcuts } from '../src/renderer/shortcuts';
import { LEAD, leadPerson, roleChoices, roleFromValue, roleValue } from '../src/renderer/store/role';

const job = (id: string, status: JobSummary['status'], fraction = 0): JobSummary => ({
  id,
  kind: 'workspace.integrity',
  title: 'Workspace integrity check',
  status,
  progress: { fraction, stage: '', etaS: null },
  params: {},
  result: null,
  error: null,
  resumable: true,
  attempts: 1,
  createdAt: new Date().toISOString(),
  startedAt: null,
  finishedAt: null,
  updatedAt: new Date(Date.now() + fraction).toISOString(),
});

describe('renderer store', () => {
  beforeEach(() => resetStore());

  it('starts empty and resets to empty', () => {
    useStore.getState().setJobs([job('a', 'running')]);
    useStore.getState().setArea('jobs');
    useStore.getState().setCoderId('coder_a');
    resetStore();
    const s = useStore.getState();
    expect(s.jobOrder).toEqual([]);
    expect(s.jobsLoaded).toBe(false);
    expect(s.area).toBe('coding');
    expect(s.coderId).toBeNull();
  });

  it('resets the Suite and Analysis areas with the other slices', () => {
    const s0 = useStore.getState();
    s0.openSuite({ kind: 'runs' });
    s0.setSuiteDraft({ name: 'changed' });
    s0.toggleSuitePick('run_a');
    s0.openAnalysis({ kind: 'runs' });
    s0.setAnalysisColumns([], 3);
    resetStore();
    const s = useStore.getState();
    expect(s.suiteView).toEqual({ kind: 'datasets' });
    expect(s.suiteDraft.name).toBe('');
    expect(s.suitePicked).toEqual([]);
    expect(s.analysisView).toEqual({ kind: 'setup' });
    expect(s.analysisColumns).toBeNull();
    expect(s.analysisRows).toBeNull();
  });

  it('applies job events: new jobs go first, updates replace in place', () => {
    useStore.getState().setJobs([job('old', 'succeeded')]);
    applyEvent({ type: 'job.updated', job: job('new', 'queued') });
    applyEvent({ type: 'job.updated', job: job('new', 'running', 0.4) });
    const s = useStore.getState();
    expect(s.jobOrder).toEqual(['new', 'old']);
    expect(s.jobs.new!.status).toBe('running');
    expect(s.jobs.new!.progress.fraction).toBe(0.4);
  });

  it('keeps the newest state when a stale response arrives after an event', () => {
    const cancelled = { ...job('j', 'cancelled'), updatedAt: '2026-01-01T00:00:00.200Z' };
    const staleResponse = { ...job('j', 'running', 0.3), updatedAt: '2026-01-01T00:00:00.100Z' };
    applyEvent({ type: 'job.updated', job: cancelled });
    useStore.getState().upsertJob(staleResponse);
    expect(useStore.getState().jobs.j!.status).toBe('cancelled');
    // Same millisecond: the finished state wins.
    useStore.getState().upsertJob({ ...staleResponse, updatedAt: cancelled.updatedAt });
    expect(useStore.getState().jobs.j!.status).toBe('cancelled');
    // A genuinely newer state replaces it (a resume).
    useStore.getState().upsertJob({ ...job('j', 'queued'), updatedAt: '2026-01-01T00:00:00.300Z' });
    expect(useStore.getState().jobs.j!.status).toBe('queued');
  });

  it('appends log lines only to logs that are open', () => {
    const line = { at: new Date().toISOString(), level: 'info' as const, message: 'hello' };
    applyEvent({ type: 'job.log', jobId: 'x', line });
    expect(useStore.getState().logs.x).toBeUndefined();
    useStore.getState().setLogs('x', []);
    applyEvent({ type: 'job.log', jobId: 'x', line });
    expect(useStore.getState().logs.x).toEqual([line]);
  });

  it('counts a repeated notice instead of stacking it, and clears notices when the area changes', () => {
    const store = useStore.getState();
    store.setArea('coding');
    store.notify('error', 'Cannot reach the server.');
    store.notify('info', 'Saved.');
    store.notify('error', 'Cannot reach the server.');
    expect(useStore.getState().notices.map((n) => [n.text, n.count])).toEqual([
      ['Saved.', 1],
      ['Cannot reach the server.', 2],
    ]);
    useStore.getState().setArea('coding'); // the same area: nothing to clear
    expect(useStore.getState().notices).toHaveLength(2);
    useStore.getState().setArea('reliability');
    expect(useStore.getState().notices).toEqual([]);
  });

  it('keeps at most five notices, newest last', () => {
    for (let i = 0; i < 7; i++) useStore.getState().notify('error', `n${i}`);
    expect(useStore.getState().notices.map((n) => n.text)).toEqual(['n2', 'n3', 'n4', 'n5', 'n6']);
  });
});

describe('app-wide shortcuts', () => {
  beforeEach(() => resetStore());

  /** A key as the window would deliver it; `prevented` tells whether the app took it. */
  function press(key: string, mods: { ctrl?: boolean; shift?: boolean; alt?: boolean } = {}) {
    let handler: ((e: unknown) => void) | null = null;
    const uninstall = installShortcuts({
      addEventListener: (_: string, h: unknown) => (handler = h as (e: unknown) => void),
      removeEventListener: () => (handler = null),
    } as unknown as Pick<Window, 'addEventListener' | 'removeEventListener'>);
    let prevented = false;
    handler!({
      key,
      ctrlKey: mods.ctrl ?? true,
      metaKey: false,
      shiftKey: mods.shift ?? false,
      altKey: mods.alt ?? false,
      preventDefault: () => (prevented = true),
    });
    uninstall();
    expect(handler).toBeNull();
    return prevented;
  }

  it('switch areas by digit and by Shift+letter, toggle the jobs panel and the theme, and leave other keys alone', () => {
    expect(press('7')).toBe(true);
    expect(useStore.getState().area).toBe('workspace');
    expect(press('P', { shift: true })).toBe(true);
    expect(useStore.getState().area).toBe('inference');
    expect(press('s', { shift: true })).toBe(true); // the letter comes lower-case with some layouts
    expect(useStore.getState().area).toBe('suite');
    const panel = useStore.getState().jobsPanelOpen;
    expect(press('j')).toBe(true);
    expect(useStore.getState().jobsPanelOpen).toBe(!panel);
    const theme = useStore.getState().theme;
    expect(press('L', { shift: true })).toBe(true);
    expect(useStore.getState().theme).not.toBe(theme);
    // Without Ctrl, with Alt, or an unknown combination: not the app's key.
    expect(press('7', { ctrl: false })).toBe(false);
    expect(press('7', { alt: true })).toBe(false);
    expect(press('Q', { shift: true })).toBe(false);
    expect(useStore.getState().area).toBe('suite');
  });

  it("a coder window opens Coding only: the lead's areas stay closed with the reason, the key sheet leaves them out; the lead sees all", () => {
    useStore.getState().setArea('reliability');
    useStore.getState().setRole({ kind: 'coder', coderId: 'coder_a' });
    expect(useStore.getState().area).toBe('coding');
    expect(press('4')).toBe(true);
    expect(useStore.getState().area).toBe('coding');
    expect(useStore.getState().notices.map((n) => n.text)).toEqual([expect.stringContaining("That area is the lead's")]);
    const coderKeys = appChordHints(useStore.getState().role).map((h) => h.label);
    expect(coderKeys).toContain('Coding');
    expect(coderKeys).not.toContain('Reliability');
    expect(coderKeys).not.toContain('Coders');
    useStore.getState().setRole({ kind: 'lead', leadId: null });
    expect(press('4')).toBe(true);
    expect(useStore.getState().area).toBe('reliability');
    expect(appChordHints(useStore.getState().role).map((h) => h.label)).toEqual(
      expect.arrayContaining(['Coding', 'Reliability', 'Preferences']),
    );
  });

  it('the role menu offers the lead, each named lead and each coder, and reads its values back', () => {
    const coders = [
      { coderId: 'ana', name: 'Ana', role: 'coder' as const, createdAt: '' },
      { coderId: 'kim', name: 'Kim', role: 'lead' as const, createdAt: '' },
    ];
    expect(roleChoices(coders)).toEqual([
      { value: 'lead', label: 'Lead' },
      { value: 'lead:kim', label: 'Lead: Kim' },
      { value: 'coder:ana', label: 'Coder: Ana' },
    ]);
    for (const role of [LEAD, { kind: 'lead' as const, leadId: 'kim' }, { kind: 'coder' as const, coderId: 'ana' }])
      expect(roleFromValue(roleValue(role))).toEqual(role);
    expect(leadPerson({ kind: 'lead', leadId: 'kim' })).toBe('kim');
    expect(leadPerson({ kind: 'coder', coderId: 'ana' })).toBeUndefined();
  });
});
