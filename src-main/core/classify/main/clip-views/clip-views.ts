import type { ClipViewImage, ClipViewKind, ClipViewsDto } from '../../../../shared/clip-views.js';
import { ApiError } from '../../../../shared/errors.js';
import type { MediaTools } from '../../../media/media-tools.js';
import { ClipCache } from '../../clips/clip-cache.js';
import { ClipFailure } from '../../clips/clip-failure.js';
import type { ClipSpec } from '../../clips/clip-spec.js';
import { FLOW_VIEW, TEMPORAL_GRADIENT_VIEW } from '../../views/clip-view.js';
import { ViewCache } from '../../views/view-cache.js';
import { CLIP_VIEW_TEXTS } from './clip-view-texts.js';
import type { ProjectClip } from './clip-ref-of.js';

function image(kind: ClipViewKind, spec: ClipSpec, bytes: Uint8Array): ClipViewImage {
  return {
    kind,
    ...CLIP_VIEW_TEXTS[kind],
    frames: spec.frames,
    width: spec.size,
    height: spec.size,
    pixels: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
  };
}

/**
 * The clip decoded at `spec` (ffmpeg, in a child process) and its MvPL views, all cached in
 * `clipCacheDir` where training runs look for them. A new cache per call: a failed decode is not
 * remembered, so a clip whose file was fixed or relinked shows at the next try.
 */
export async function clipViews(clip: ProjectClip, spec: ClipSpec, clipCacheDir: string, tools: MediaTools): Promise<ClipViewsDto> {
  const clips = new ClipCache(clipCacheDir, spec, tools, { maxProcesses: 1 });
  const views = new ViewCache(clips);
  let rgb: Uint8Array, gradient: Uint8Array, flow: Uint8Array;
  try {
    rgb = await clips.read(clip.ref);
    gradient = await views.read(clip.ref, TEMPORAL_GRADIENT_VIEW);
    flow = await views.read(clip.ref, FLOW_VIEW);
  } catch (error) {
    if (error instanceof ClipFailure) throw new ApiError('MEDIA_ERROR', `Clip ${clip.ref.clipId} cannot be decoded: ${error.reason}`);
    throw error;
  }
  return {
    clipId: clip.ref.clipId,
    videoId: clip.videoId,
    frames: spec.frames,
    size: spec.size,
    durationSec: Math.max(0, clip.ref.endSec - clip.ref.startSec),
    views: [image('rgb', spec, rgb), image('temporal-gradient', spec, gradient), image('flow', spec, flow)],
  };
}
