import type { HandlerGroup } from '../api/handler-types.js';
import type { CoreContext } from '../core-context.js';
import { Project } from './project.js';

export function projectHandlers(
  ctx: CoreContext,
): HandlerGroup<'project:create' | 'project:open' | 'project:close' | 'project:current' | 'project:recent'> {
  const nativeBinding = ctx.options.nativeBinding ? { nativeBinding: ctx.options.nativeBinding } : {};
  const activate = async (open: () => Project) => {
    await ctx.closeSession();
    const session = ctx.openSession(open());
    const info = session.project.info();
    ctx.recent.remember(info);
    ctx.events.emit('project:changed', info);
    return info;
  };
  return {
    'project:create': ({ path, name }) => activate(() => Project.create(path, name, nativeBinding)),
    'project:open': ({ path, access }) => activate(() => Project.open(path, { ...nativeBinding, access: access ?? 'write' })),
    'project:close': async () => {
      await ctx.closeSession();
      ctx.events.emit('project:changed', null);
      return null;
    },
    'project:current': () => ctx.currentSession()?.project.info() ?? null,
    'project:recent': () => ctx.recent.list(),
  };
}
