import type { ClipSpec } from '../clips/clip-spec.js';
import { assertClipBytes } from './clip-bytes.js';
import { farnebackFlowSequence } from '../../imaging/farneback-flow.js';
import type { FarnebackOptions } from '../../imaging/farneback-options.js';
import { encodeDisplacement, encodeMagnitude, FLOW_MAX_DISPLACEMENT } from './flow-encoding.js';
import type { FloatImage } from '../../imaging/float-image.js';
import { greyFloatFrames } from '../../imaging/grey.js';

/** Each frame of a clip (T·S·S·3 rgb bytes) as a one-channel float grey image in 0..255. */
export function clipToGreyFrames(clip: Uint8Array, spec: ClipSpec): FloatImage[] {
  assertClipBytes(clip, spec, 'clipToGreyFrames');
  return greyFloatFrames(clip, spec.size, spec.size, spec.frames);
}

export interface FlowViewOptions {
  /** Pixels mapped to the ends of the byte range (see flow-encoding.ts); default FLOW_MAX_DISPLACEMENT. */
  maxDisplacement?: number;
  farneback?: Partial<FarnebackOptions>;
}

/**
 * The optical-flow view of a clip: T×S×S×3 bytes whose channels are x displacement, y
 * displacement and magnitude (encoded as flow-encoding.ts says). Frame t ≥ 1 holds the
 * Farnebäck flow from grey frame t−1 to frame t; frame 0 repeats frame 1's, so the view has T
 * frames like the RGB clip. A one-frame clip has no motion: (128, 128, 0) everywhere.
 */
export function flowView(clip: Uint8Array, spec: ClipSpec, options: FlowViewOptions = {}): Uint8Array {
  assertClipBytes(clip, spec, 'flowView');
  const max = options.maxDisplacement ?? FLOW_MAX_DISPLACEMENT;
  if (!(max > 0)) throw new Error(`flowView: maxDisplacement must be > 0, got ${max}`);
  const pixels = spec.size * spec.size;
  const frameBytes = pixels * 3;
  const view = new Uint8Array(clip.length);
  if (spec.frames === 1) {
    for (let at = 0; at < view.length; at += 3) view.set([128, 128, 0], at);
    return view;
  }
  const flows = farnebackFlowSequence(clipToGreyFrames(clip, spec), options.farneback);
  flows.forEach((flow, i) => {
    const f = flow.data;
    let at = (i + 1) * frameBytes;
    for (let p = 0; p < pixels; p++, at += 3) {
      const dx = f[p * 2]!;
      const dy = f[p * 2 + 1]!;
      view[at] = encodeDisplacement(dx, max);
      view[at + 1] = encodeDisplacement(dy, max);
      view[at + 2] = encodeMagnitude(Math.hypot(dx, dy), max);
    }
  });
  view.copyWithin(0, frameBytes, 2 * frameBytes);
  return view;
}
