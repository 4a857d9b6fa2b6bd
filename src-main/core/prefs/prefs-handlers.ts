import type { HandlerGroup } from '../api/handler-types.js';
import type { CoreContext } from '../core-context.js';

export function prefsHandlers(ctx: CoreContext): HandlerGroup<'prefs:get' | 'prefs:set'> {
  return {
    'prefs:get': () => ctx.prefs.get(),
    'prefs:set': (patch) => {
      const prefs = ctx.prefs.set(patch);
      ctx.events.emit('prefs:changed', prefs);
      return prefs;
    },
  };
}
