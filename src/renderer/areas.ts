import type { Area } from './store/appSlice';

/** The app's areas in sidebar order, with their Ctrl/Cmd shortcuts. */
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
  { id: 'analysis', label: 'Analysis', shortcut: 'Shift+A' },
  // O for the channel owner: their ratings and the model of their taste.
  { id: 'preferences', label: 'Preferences', shortcut: 'Shift+O' },
];
