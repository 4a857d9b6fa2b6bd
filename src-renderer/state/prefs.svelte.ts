import { DEFAULT_PREFS, type Prefs, type PrefsPatch, type Theme } from '../../src-main/shared/prefs.js';
import { api } from '../lib/api.js';
import { applyTheme, rememberChoice, rememberedChoice, resolveTheme, SYSTEM_DARK_QUERY, systemPrefersDark } from '../lib/theme.js';
import { toasts } from './toasts.svelte.js';

/**
 * The app's preferences, kept current by 'prefs:changed' (another window, the CLI), and the palette they
 * give: a `system` theme follows the system's colour scheme as it changes.
 */
class PrefsState {
  current = $state.raw<Prefs>({ ...DEFAULT_PREFS, theme: rememberedChoice() });
  loaded = $state(false);
  systemDark = $state(systemPrefersDark());
  saving = $state(false);

  /** The palette the preferences and the system ask for. */
  theme: Theme = $derived(resolveTheme(this.current.theme, this.systemDark));
  /** The palette on the page now: set once its colours apply, so charts that read them redraw after. */
  appliedTheme = $state<Theme | null>(null);

  connect(): () => void {
    const media = typeof matchMedia === 'function' ? matchMedia(SYSTEM_DARK_QUERY) : null;
    const onSystem = (event: MediaQueryListEvent) => (this.systemDark = event.matches);
    media?.addEventListener('change', onSystem);
    const offs = [
      api.on('prefs:changed', (prefs) => this.accept(prefs)),
      api.onResync(() => void this.load()),
      $effect.root(() => {
        $effect(() => {
          const theme = this.theme;
          applyTheme(theme);
          this.appliedTheme = theme;
        });
      }),
    ];
    return () => {
      media?.removeEventListener('change', onSystem);
      offs.forEach((off) => off());
    };
  }

  async load(): Promise<void> {
    try {
      this.accept(await api.invoke('prefs:get', {}));
    } catch (err) {
      toasts.error('Could not read the preferences', err);
    }
  }

  /** Saves `patch`; the new values apply at once (the theme without a reload). */
  async set(patch: PrefsPatch): Promise<boolean> {
    this.saving = true;
    try {
      this.accept(await api.invoke('prefs:set', patch));
      return true;
    } catch (err) {
      toasts.error('Could not save the preferences', err);
      return false;
    } finally {
      this.saving = false;
    }
  }

  private accept(prefs: Prefs): void {
    this.current = prefs;
    this.loaded = true;
    rememberChoice(prefs.theme);
  }
}

export const prefs = new PrefsState();
