import type { HandlerGroup } from '../api/handler-types.js';
import type { CoreContext } from '../core-context.js';
import { Project } from './project.js';

export function projectHandlers(
  ctx: CoreContext,
): HandlerGroup<'project:create' | 'project:open' | 'project:close' | 'project:current' | 'project:recent'> {
  const nativeBinding = ctx.options.nativeBinding ? { nativeBinding: ctx.options.nativeBinding } : {};
  // The new project is opened before the current one is closed: a folder that cannot be opened
  // leaves the open project, its jobs and the UI as they were. Only a switch says project:changed.
  const activate = async (open: () => Project) => {
    const project = open();
    try {
      await ctx.closeSession();
    } catch (err) {
      project.close();
      throw err;
    }
    const session = ctx.openSession(project);
    const info = session.project.info();
    ctx.recent.remember(info);
    ctx.events.emit('project:changed', info);
    return info;
  };
  return {
    'project:create': ({ path, name }) => activate(() => Project.create(path, name, nativeBinding)),
    'project:open': ({ path }) => activate(() => Project.open(path, nativeBinding)),
    'project:close': async () => {
      await ctx.closeSession();
      ctx.events.emit('project:changed', null);
      return null;
    },
    'project:current': () => ctx.currentSession()?.project.info() ?? null,
    'project:recent': () => ctx.recent.list(),
  };
}
