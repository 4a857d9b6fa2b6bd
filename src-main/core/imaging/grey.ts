/**
 * Grey from colour, one definition for the app: ITU-R BT.601 luma, as OpenCV's RGB→GRAY and PIL's
 * convert('L'). In floats for optical flow and the models' grey input; in 8-bit fixed point (weights
 * ×256 summing to 256, so grey g as rgb (g, g, g) is g again) where region finding wants bytes.
 */
import { floatImage, type FloatImage } from './float-image.js';

/** The luma weights of R, G and B. */
export const BT601_LUMA = [0.299, 0.587, 0.114] as const;
/** The same weights ×256, rounded so that they sum to 256. */
export const BT601_LUMA_256 = [77, 150, 29] as const;

const [R, G, B] = BT601_LUMA;
const [R8, G8, B8] = BT601_LUMA_256;

function checkSide(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`grey: frame ${name} must be a positive whole number of pixels, got ${value}`);
}

/** `frames` RGB frames laid end to end (each width × height × 3 bytes) as one-channel float grey images in 0..255. */
export function greyFloatFrames(rgb: Uint8Array, width: number, height: number, frames: number): FloatImage[] {
  const pixels = width * height;
  if (rgb.length < frames * pixels * 3) throw new Error(`grey: ${frames} RGB frames of ${width}×${height} need ${frames * pixels * 3} bytes, got ${rgb.length}`);
  return Array.from({ length: frames }, (_, t) => {
    const image = floatImage(width, height, 1);
    const out = image.data;
    let at = t * pixels * 3;
    for (let i = 0; i < pixels; i++, at += 3) out[i] = R * rgb[at]! + G * rgb[at + 1]! + B * rgb[at + 2]!;
    return image;
  });
}

/** Luma of an interleaved RGB frame as bytes (8-bit fixed point). */
export function rgbToGray(rgb: Uint8Array, width: number, height: number): Uint8Array {
  checkSide('width', width);
  checkSide('height', height);
  const pixels = width * height;
  if (rgb.length !== pixels * 3) throw new Error(`regions: an RGB frame of ${width}×${height} needs ${pixels * 3} bytes, got ${rgb.length}`);
  const gray = new Uint8Array(pixels);
  for (let i = 0, j = 0; i < pixels; i++, j += 3) gray[i] = (R8 * rgb[j]! + G8 * rgb[j + 1]! + B8 * rgb[j + 2]!) >> 8;
  return gray;
}

/** The fixed-point luma of pixel j (its R byte's index) ×256, for sums over blocks before one division. */
export function luma256At(rgb: Uint8Array, j: number): number {
  return R8 * rgb[j]! + G8 * rgb[j + 1]! + B8 * rgb[j + 2]!;
}
