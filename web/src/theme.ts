export type ThemeChoice = 'light' | 'dark';

const KEY = 'chatops-theme';

/** The saved choice, else what the system prefers. */
export function initialTheme(): ThemeChoice {
  const saved = localStorage.getItem(KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(theme: ThemeChoice): void {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem(KEY, theme);
}
