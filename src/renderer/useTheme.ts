import { useEffect } from 'react';
import { useStore } from './store';
import type { Theme } from './store/appSlice';

const THEME_KEY = 'framelab.theme';

/** Starts from the saved choice, else the system's; applies and remembers every change. */
export function initialTheme(): Theme {
  const saved = localStorage.getItem(THEME_KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function useTheme(): void {
  const theme = useStore((s) => s.theme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem(THEME_KEY, theme);
  }, [theme]);
}
