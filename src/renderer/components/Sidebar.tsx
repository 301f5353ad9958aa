import { useStore } from '../store';
import { SyncBadge } from './SyncBadge';
import type { Area } from '../store/appSlice';

export const AREAS: { id: Area; label: string; shortcut: string }[] = [
  { id: 'coding', label: 'Coding', shortcut: '1' },
  { id: 'coders', label: 'Coders', shortcut: '2' },
  { id: 'codebook', label: 'Codebook', shortcut: '3' },
  { id: 'reliability', label: 'Reliability', shortcut: '4' },
  { id: 'videos', label: 'Videos', shortcut: '5' },
  { id: 'annotations', label: 'Annotations', shortcut: '6' },
  { id: 'workspace', label: 'Workspace', shortcut: '7' },
  { id: 'jobs', label: 'Jobs', shortcut: '8' },
  { id: 'models', label: 'Models', shortcut: '9' },
  { id: 'sync', label: 'Sync', shortcut: '0' },
  // Every digit is taken: the areas after the tenth use Ctrl+Shift+<letter>.
  { id: 'finetune', label: 'Fine-tune', shortcut: 'Shift+F' },
  { id: 'inference', label: 'Inference', shortcut: 'Shift+P' },
  { id: 'suite', label: 'Suite', shortcut: 'Shift+S' },
];

export function Sidebar() {
  const area = useStore((s) => s.area);
  const setArea = useStore((s) => s.setArea);
  const theme = useStore((s) => s.theme);
  const setTheme = useStore((s) => s.setTheme);
  const info = useStore((s) => s.info);
  const connected = useStore((s) => s.connected);
  return (
    <nav className="sidebar" aria-label="Areas">
      <div className="brand">Framelab</div>
      <ul>
        {AREAS.map((a) => (
          <li key={a.id}>
            <button
              type="button"
              className={area === a.id ? 'active' : ''}
              aria-current={area === a.id ? 'page' : undefined}
              onClick={() => setArea(a.id)}
              title={`${a.label} (Ctrl+${a.shortcut})`}
            >
              {a.label}
            </button>
          </li>
        ))}
      </ul>
      <div className="sidebar-foot">
        <SyncBadge />
        {!connected && <p className="offline">Disconnected from Framelab — reconnecting…</p>}
        <button
          type="button"
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
          title="Switch theme (Ctrl+Shift+L)"
          data-testid="theme-toggle"
        >
          {theme === 'dark' ? 'Light theme' : 'Dark theme'}
        </button>
        {info && (
          <p className="muted small">
            v{info.version} · {info.mode}
          </p>
        )}
      </div>
    </nav>
  );
}
