import type { StateCreator } from 'zustand';
import type { AppInfo } from '../../shared/api';
import type { DataTopic } from '../../shared/events';
import type { Store } from './index';
import { areaAllowed, rememberedRole, rememberRole, type Role } from './role';

export type Theme = 'light' | 'dark';
export type Area =
  | 'coding'
  | 'coders'
  | 'codebook'
  | 'reliability'
  | 'videos'
  | 'annotations'
  | 'workspace'
  | 'jobs'
  | 'models'
  | 'sync'
  | 'finetune'
  | 'inference'
  | 'suite'
  | 'analysis'
  | 'preferences';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
  /** How many times this same notice was raised while shown (a retried call, a repeated failure). */
  count: number;
}

export interface AppSlice {
  info: AppInfo | null;
  /** False while the event channel is down (browser mode: the server stopped or restarts). */
  connected: boolean;
  theme: Theme;
  area: Area;
  /** Lead or coder (see role.ts): which areas this window shows. */
  role: Role;
  jobsPanelOpen: boolean;
  /** The ? sheet of every key in the app. */
  keySheetOpen: boolean;
  notices: Notice[];
  /** Bumped for each data.changed topic, so a screen refetches exactly when its data changed. */
  topicVersions: Partial<Record<DataTopic, number>>;
  bumpTopics(topics: DataTopic[]): void;
  setInfo(info: AppInfo): void;
  setConnected(connected: boolean): void;
  setTheme(theme: Theme): void;
  setArea(area: Area): void;
  /** Opens the window as this role (remembered on this machine); an area the role does not see gives way to Coding. */
  setRole(role: Role): void;
  setJobsPanelOpen(open: boolean): void;
  setKeySheetOpen(open: boolean): void;
  notify(kind: Notice['kind'], text: string): void;
  dismissNotice(id: number): void;
}

let nextNoticeId = 1;

/** The same notice again is counted, not stacked: five copies of one error hide the others. */
function noticeAdded(notices: Notice[], kind: Notice['kind'], text: string): Notice[] {
  const same = notices.find((n) => n.kind === kind && n.text === text);
  if (same) return [...notices.filter((n) => n !== same), { ...same, count: same.count + 1 }];
  return [...notices.slice(-4), { id: nextNoticeId++, kind, text, count: 1 }];
}

export const createAppSlice: StateCreator<Store, [], [], AppSlice> = (set) => ({
  info: null,
  connected: true,
  theme: 'light',
  area: 'coding',
  role: rememberedRole(),
  jobsPanelOpen: false,
  keySheetOpen: false,
  notices: [],
  topicVersions: {},
  bumpTopics: (topics) =>
    set((s) => ({
      topicVersions: { ...s.topicVersions, ...Object.fromEntries(topics.map((t) => [t, (s.topicVersions[t] ?? 0) + 1])) },
    })),
  setInfo: (info) => set({ info }),
  setConnected: (connected) => set({ connected }),
  setTheme: (theme) => set({ theme }),
  // A notice belongs to the screen it was raised on: moving to another area clears them.
  // An area the role does not show (a coder's Ctrl+4) stays closed, with the reason.
  setArea: (area) =>
    set((s) => {
      if (s.area === area) return {};
      if (!areaAllowed(s.role, area))
        return {
          notices: noticeAdded(
            s.notices,
            'info',
            `That area is the lead's. Coders see Coding only; the role menu (bottom left) switches to Lead.`,
          ),
        };
      return { area, notices: [] };
    }),
  setRole: (role) => {
    rememberRole(role);
    set((s) => ({ role, area: areaAllowed(role, s.area) ? s.area : 'coding' }));
  },
  setJobsPanelOpen: (jobsPanelOpen) => set({ jobsPanelOpen }),
  setKeySheetOpen: (keySheetOpen) => set({ keySheetOpen }),
  notify: (kind, text) => set((s) => ({ notices: noticeAdded(s.notices, kind, text) })),
  dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
});
