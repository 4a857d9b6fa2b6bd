/** Pure helpers of the clip views panel: one frame of a view as canvas pixels, and the pace to play them. */

/** Frame `frame` of T×H×W×3 bytes as RGBA for an ImageData (opaque). */
export function frameRgba(pixels: Uint8Array, width: number, height: number, frame: number): Uint8ClampedArray<ArrayBuffer> {
  const count = width * height;
  const start = frame * count * 3;
  if (!Number.isInteger(frame) || frame < 0 || start + count * 3 > pixels.length) {
    throw new Error(`Frame ${frame} is outside a view of ${pixels.length / (count * 3)} frames.`);
  }
  const rgba = new Uint8ClampedArray(count * 4);
  for (let p = 0, at = start; p < count; p++, at += 3) {
    rgba[p * 4] = pixels[at]!;
    rgba[p * 4 + 1] = pixels[at + 1]!;
    rgba[p * 4 + 2] = pixels[at + 2]!;
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}

/** How long each frame shows: the clip's real pace, kept between 1/12 s and 1/2 s so it reads as motion. */
export function frameDelayMs(durationSec: number, frames: number): number {
  const real = frames > 0 && durationSec > 0 ? (durationSec * 1000) / frames : 250;
  return Math.round(Math.min(500, Math.max(1000 / 12, real)));
}
