import type { ClipSpec } from '../clips/clip-spec.js';
import { assertClipBytes } from './clip-bytes.js';

/**
 * The temporal-gradient view of a clip: per channel `floor((I_{t−1} − I_t + 255) / 2)` as uint8,
 * the same T×S×S×3 shape as the clip, so 127 means "no change".
 * Frame t ≥ 1 holds the gradient between frames t−1 and t; frame 0 repeats frame 1's (the
 * gradient of frames 0/1), so the view has T frames like the RGB clip. A one-frame clip has no
 * pair: its single frame is all 127.
 */
export function temporalGradientView(clip: Uint8Array, spec: ClipSpec): Uint8Array {
  assertClipBytes(clip, spec, 'temporalGradientView');
  const frameBytes = spec.size * spec.size * 3;
  const view = new Uint8Array(clip.length);
  if (spec.frames === 1) return view.fill(127);
  for (let at = frameBytes; at < clip.length; at++) view[at] = (clip[at - frameBytes]! - clip[at]! + 255) >> 1;
  view.copyWithin(0, frameBytes, 2 * frameBytes);
  return view;
}
