import { ApiError } from '../../shared/errors.js';
import type { HandlerGroup } from '../api/handler-types.js';
import { requireSession, type CoreContext } from '../core-context.js';
import { startImportJob } from './import-job.js';
import { mediaServices } from './media-session.js';
import { relinkVideo } from './relink.js';
import { removeVideosUndoably, videoRemovalPreview } from './video-removal.js';
import { videoRowToDto } from './video-repository.js';

export function videoHandlers(
  ctx: CoreContext,
): HandlerGroup<'videos:import' | 'videos:list' | 'videos:get' | 'videos:remove' | 'videos:remove:preview' | 'videos:relink'> {
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
    'videos:remove': ({ ids }) => {
      const session = requireSession(ctx);
      // Posters and proxies stay until the history entry is gone (the cache sweep at open
      // keeps what undo still needs): Undo brings the video back playable.
      const removed = removeVideosUndoably(session, ids);
      ctx.events.emit('videos:changed', { ids });
      ctx.events.emit('labels:changed', { videoIds: ids });
      ctx.events.emit('anomaly:marks:changed', { videoIds: ids });
      return { removed };
    },
    'videos:remove:preview': ({ ids }) => videoRemovalPreview(requireSession(ctx).project.db, ids),
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
