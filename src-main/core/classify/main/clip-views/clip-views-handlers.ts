import type { HandlerGroup } from '../../../api/handler-types.js';
import { requireSession, type CoreContext } from '../../../core-context.js';
import { CPU_CLIP_SPEC } from '../../clips/clip-spec.js';
import { clipCacheDir } from '../run-files.js';
import { projectClipRef } from './clip-ref-of.js';
import { clipViews } from './clip-views.js';

export function clipViewsHandlers(ctx: CoreContext): HandlerGroup<'clips:views'> {
  return {
    'clips:views': async ({ id, frames, size }) => {
      const session = requireSession(ctx);
      const clip = projectClipRef(session.project.db, id);
      const spec = { frames: frames ?? CPU_CLIP_SPEC.frames, size: size ?? CPU_CLIP_SPEC.size, fps: null };
      return clipViews(clip, spec, clipCacheDir(session.project), ctx.tools);
    },
  };
}
