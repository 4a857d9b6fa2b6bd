import type { HandlerGroup } from '../api/handler-types.js';
import { requireSession, type CoreContext } from '../core-context.js';

export function jobHandlers(ctx: CoreContext): HandlerGroup<'jobs:list' | 'jobs:cancel' | 'jobs:clear'> {
  return {
    'jobs:list': () => ctx.currentSession()?.jobs.list() ?? [],
    'jobs:cancel': ({ id }) => requireSession(ctx).jobs.cancel(id),
    'jobs:clear': () => ({ removed: requireSession(ctx).jobs.clearFinished() }),
  };
}
