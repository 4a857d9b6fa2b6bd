import { ApiError } from '../../shared/errors.js';
import type { HandlerGroup } from '../api/handler-types.js';
import { requireSession, type CoreContext } from '../core-context.js';
import { videoRowToDto } from './video-repository.js';

export function videoHandlers(
  ctx: CoreContext,
): HandlerGroup<'videos:import' | 'videos:list' | 'videos:get' | 'videos:remove' | 'videos:relink'> {
  return {
    'videos:import': () => {
      throw new ApiError('UNSUPPORTED', 'Import is being built.');
    },
    'videos:list': () => requireSession(ctx).videos.list().map(videoRowToDto),
    'videos:get': ({ id }) => {
      const row = requireSession(ctx).videos.get(id);
      if (!row) throw new ApiError('NOT_FOUND', `There is no video ${id} in this project.`);
      return videoRowToDto(row);
    },
    'videos:remove': ({ ids }) => {
      const removed = requireSession(ctx).videos.remove(ids);
      ctx.events.emit('videos:changed', { ids });
      return { removed };
    },
    'videos:relink': () => {
      throw new ApiError('UNSUPPORTED', 'Relink is being built.');
    },
  };
}
