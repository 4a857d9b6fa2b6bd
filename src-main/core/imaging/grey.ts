import type { ClipSpec } from '../classify/clips/clip-spec.js';
import { assertClipBytes } from '../classify/views/clip-bytes.js';
import { floatImage, type FloatImage } from './float-image.js';

/** ITU-R BT.601 luma, as OpenCV's RGB→GRAY, kept in 0..255. */
const R = 0.299;
const G = 0.587;
const B = 0.114;

/** Each frame of a clip (T·S·S·3 rgb bytes) as a one-channel float grey image in 0..255. */
export function clipToGreyFrames(clip: Uint8Array, spec: ClipSpec): FloatImage[] {
  assertClipBytes(clip, spec, 'clipToGreyFrames');
  const pixels = spec.size * spec.size;
  return Array.from({ length: spec.frames }, (_, t) => {
    const image = floatImage(spec.size, spec.size, 1);
    const out = image.data;
    let at = t * pixels * 3;
    for (let i = 0; i < pixels; i++, at += 3) out[i] = R * clip[at]! + G * clip[at + 1]! + B * clip[at + 2]!;
    return image;
  });
}
