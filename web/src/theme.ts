export type ThemeChoice = 'light' | 'dark';

const KEY = 'chatops-theme';

/** The saved choice, else what the system prefers. */
export function initialTheme(): ThemeChoice {
  const saved = localStorage.getItem(KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

const CHANGED = 'chatops-theme-changed';

export function applyTheme(theme: ThemeChoice): void {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem(KEY, theme);
  window.dispatchEvent(new Event(CHANGED));
}

/** Calls `listener` after every theme switch; canvases (charts) must repaint in the new colours. */
export function onThemeChange(listener: () => void): () => void {
  window.addEventListener(CHANGED, listener);
  return () => window.removeEventListener(CHANGED, listener);
}

/** A colour of the current theme, by its CSS custom property: canvas drawing cannot use var(). */
export function themeColour(property: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(property).trim();
}
