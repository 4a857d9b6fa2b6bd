import type { HandlerGroup } from '../api/handler-types.js';
import type { CoreContext } from '../core-context.js';
import { projectDirFrom } from './project-files.js';
import { Project } from './project.js';

export function projectHandlers(
  ctx: CoreContext,
): HandlerGroup<'project:create' | 'project:open' | 'project:close' | 'project:current' | 'project:recent' | 'project:recent:remove' | 'project:recent:clear'> {
  const nativeBinding = ctx.options.nativeBinding ? { nativeBinding: ctx.options.nativeBinding } : {};
  // The new project is opened before the current one is closed: a folder that cannot be opened
  // leaves the open project, its jobs and the UI as they were. Only a switch says project:changed.
  /**
   * Opens `target` before closing the current project, so a failed open leaves it open; the same project is
   * closed first instead (its lock is this process's, and a second open of it would be refused). Creating
   * never reopens: creating the open project's folder is refused as existing, before any lock.
   */
  const activate = async (target: string | null, open: () => Project) => {
    const current = ctx.currentSession();
    const reopening = target !== null && current !== null && current.project.dir === projectDirFrom(target);
    if (reopening) await ctx.closeSession();
    const project = open();
    try {
      if (!reopening) await ctx.closeSession();
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
    'project:create': ({ path, name }) =>
      activate(null, () => Project.create(path, name, { ...nativeBinding, cacheLocation: ctx.prefs.get().cacheLocation })),
    'project:open': ({ path, access }) => activate(path, () => Project.open(path, { ...nativeBinding, access: access ?? 'write' })),
    'project:close': async () => {
      await ctx.closeSession();
      ctx.events.emit('project:changed', null);
      return null;
    },
    'project:current': () => ctx.currentSession()?.project.info() ?? null,
    'project:recent': () => ctx.recent.list(),
    'project:recent:remove': ({ path }) => {
      const list = ctx.recent.remove(path);
      ctx.events.emit('recent:changed', list);
      return list;
    },
    'project:recent:clear': () => {
      const list = ctx.recent.clear();
      ctx.events.emit('recent:changed', list);
      return list;
    },
  };
}
