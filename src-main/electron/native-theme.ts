import { nativeTheme } from 'electron';
import type { Core } from '../core/core.js';

/**
 * The window frame, native dialogs and the page's prefers-color-scheme follow the theme preference:
 * `system` lets the desktop decide, `light`/`dark` fix it, so a System choice in the page and the frame agree.
 */
export function followThemePreference(core: Core): void {
  nativeTheme.themeSource = core.prefs.get().theme;
  core.events.on('prefs:changed', (prefs) => {
    nativeTheme.themeSource = prefs.theme;
  });
}
