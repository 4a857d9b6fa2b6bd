import { ApiError } from '../../shared/errors.js';
import type { HandlerGroup } from '../api/handler-types.js';
import { requireSession, type CoreContext } from '../core-context.js';
import { startImportJob } from './import-job.js';
import { mediaServices } from './media-session.js';
import { relinkVideo } from './relink.js';
import { removeCacheFileIfUnused } from './unused-cache.js';
import { videoRowToDto } from './video-repository.js';

export function videoHandlers(
  ctx: CoreContext,
): HandlerGroup<'videos:import' | 'videos:list' | 'videos:get' | 'videos:remove' | 'videos:relink'> {
  return {
    'videos:import': ({ paths, recursive }) => {
      const session = requireSession(ctx);
      return { jobId: startImportJob(ctx, session, { paths, recursive }).id };
    },
    'videos:list': () => requireSession(ctx).videos.list().map(videoRowToDto),
    'videos:get': ({ id }) => {
      const row = requireSession(ctx).videos.get(id);
      if (!row) throw new ApiError('NOT_FOUND', `There is no video ${id} in this project.`);
      return videoRowToDto(row);
    },
    'videos:remove': async ({ ids }) => {
      const session = requireSession(ctx);
      const cacheFiles = ids.flatMap((id) => {
        const row = session.videos.get(id);
        return row ? [row.poster_path, row.proxy_path].filter((p): p is string => p !== null) : [];
      });
      const removed = session.videos.remove(ids);
      ctx.events.emit('videos:changed', { ids });
      for (const rel of cacheFiles) await removeCacheFileIfUnused(session, rel);
      return { removed };
    },
    'videos:relink': async ({ id, path }) => {
      const session = requireSession(ctx);
      const row = await relinkVideo(session, id, path);
      const services = mediaServices(ctx, session);
      services.changes.add(row.id);
      services.changes.flush();
      services.proxies.kick();
      return videoRowToDto(row);
    },
  };
}
