import { useEffect } from 'react';
import type { SyncStatus } from '../../shared/sync';
import { useStore } from '../store';
import { loadSyncStatus } from '../store/actions';
import { formatTime } from './format';

/** One line for the sync state, the same words everywhere. */
export function syncHeadline(s: SyncStatus): string {
  switch (s.state) {
    case 'off':
      return 'Sync off: annotations are local only';
    case 'never':
      return 'Not synced yet';
    case 'syncing':
      return 'Syncing…';
    case 'synced':
      return `Synced ${s.lastSyncedAt ? formatTime(s.lastSyncedAt) : ''}`.trim();
    case 'offline':
      return s.lastSyncedAt ? `Not synced since ${formatTime(s.lastSyncedAt)}` : 'Never synced';
  }
}

/** Always visible in the sidebar: synced / syncing / offline since … / conflicts. Opens the Sync screen. */
export function SyncBadge() {
  const status = useStore((s) => s.syncStatus);
  const setArea = useStore((s) => s.setArea);
  useEffect(() => {
    void loadSyncStatus();
  }, []);
  if (!status) return null;
  return (
    <button
      type="button"
      className={`sync-badge sync-${status.state}`}
      data-testid="sync-badge"
      data-state={status.state}
      onClick={() => setArea('sync')}
      title={status.message ?? status.target ?? 'Sync settings'}
    >
      <span className="sync-dot" aria-hidden="true" />
      <span>{syncHeadline(status)}</span>
      {status.openConflicts > 0 && (
        <span className="sync-conflicts" data-testid="sync-badge-conflicts">
          {status.openConflicts} conflict{status.openConflicts === 1 ? '' : 's'}
        </span>
      )}
    </button>
  );
}

/** Loud on every screen while the bucket cannot be reached: work goes on locally, and it says so. */
export function SyncBanner() {
  const status = useStore((s) => s.syncStatus);
  const setArea = useStore((s) => s.setArea);
  if (!status || status.state !== 'offline') return null;
  return (
    <div className="sync-banner" role="status" data-testid="sync-banner">
      <strong>
        {status.lastSyncedAt ? `Not synced since ${formatTime(status.lastSyncedAt)}` : 'Never synced'}
        {status.offlineSince ? ` (offline since ${formatTime(status.offlineSince)})` : ''}.
      </strong>{' '}
      {status.message} Work goes on locally; results computed now are marked “local”.{' '}
      <button type="button" onClick={() => setArea('sync')}>
        Sync settings
      </button>
    </div>
  );
}
