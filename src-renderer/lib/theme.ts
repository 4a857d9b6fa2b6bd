import type { Theme, ThemeChoice } from '../../src-main/shared/prefs.js';

/** The colour scheme the system asks for, followed live when the preference is `system`. */
export const SYSTEM_DARK_QUERY = '(prefers-color-scheme: dark)';

/** Where the last choice is kept in the page, so the next start paints in the right palette before the API answers. */
const REMEMBERED_KEY = 'vssl-theme-choice';

export function resolveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  if (choice === 'system') return systemDark ? 'dark' : 'light';
  return choice;
}

export function systemPrefersDark(): boolean {
  return typeof matchMedia === 'function' ? matchMedia(SYSTEM_DARK_QUERY).matches : true;
}

/** Puts the palette on the page: app.css keys its colours on `data-theme`. */
export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

export function rememberChoice(choice: ThemeChoice): void {
  try {
    localStorage.setItem(REMEMBERED_KEY, choice);
  } catch {
    // Storage can be off (a sandboxed page): the theme still applies once the preferences load.
  }
}

export function rememberedChoice(): ThemeChoice {
  try {
    const value = localStorage.getItem(REMEMBERED_KEY);
    if (value === 'light' || value === 'dark' || value === 'system') return value;
  } catch {
    // As above: the default until the preferences load.
  }
  return 'system';
}
