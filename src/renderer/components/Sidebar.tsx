import { AREAS } from '../areas';
import { useStore } from '../store';
import { areaAllowed } from '../store/role';
import { RoleMenu } from './RoleMenu';
import { SyncBadge } from './SyncBadge';

export function Sidebar() {
  const area = useStore((s) => s.area);
  const setArea = useStore((s) => s.setArea);
  const theme = useStore((s) => s.theme);
  const setTheme = useStore((s) => s.setTheme);
  const info = useStore((s) => s.info);
  const connected = useStore((s) => s.connected);
  const role = useStore((s) => s.role);
  return (
    <nav className="sidebar" aria-label="Areas">
      <div className="brand">Framelab</div>
      <ul>
        {AREAS.filter((a) => areaAllowed(role, a.id)).map((a) => (
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
        <RoleMenu />
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
