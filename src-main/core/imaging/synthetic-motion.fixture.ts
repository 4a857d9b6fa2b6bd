import type { ClipSpec } from '../classify/clips/clip-spec.js';
import { floatImage, type FloatImage } from './float-image.js';

/** A smooth, textured grey pattern in 0..255 (several sinusoids, no flat areas). */
export function smoothTexture(x: number, y: number): number {
  return (
    128 +
    40 * Math.sin(0.35 * x + 0.2 * y) +
    30 * Math.cos(0.27 * y - 0.15 * x + 1) +
    25 * Math.sin(0.5 * x) * Math.cos(0.42 * y + 0.3)
  );
}

/** The texture moved by (dx, dy) pixels (x right, y down), sampled exactly, as a grey image. */
export function shiftedTexture(size: number, dx: number, dy: number): FloatImage {
  const image = floatImage(size, size, 1);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) image.data[y * size + x] = smoothTexture(x - dx, y - dy);
  return image;
}

/**
 * A clip (T·S·S·3 rgb bytes, grey pixels) of the texture moving by (dx, dy) pixels per frame,
 * so the true flow between any two consecutive frames is (dx, dy) everywhere.
 */
export function translatingClip(spec: ClipSpec, dx: number, dy: number): Uint8Array {
  const { frames, size } = spec;
  const clip = new Uint8Array(frames * size * size * 3);
  for (let t = 0; t < frames; t++) {
    const grey = shiftedTexture(size, t * dx, t * dy).data;
    for (let p = 0; p < grey.length; p++) clip.fill(Math.round(grey[p]!), (t * grey.length + p) * 3, (t * grey.length + p) * 3 + 3);
  }
  return clip;
}
