import * as tf from '@tensorflow/tfjs';
import { foldFrames, repeatPerFrame, unfoldFrames, type ClipBatchShape } from './clip-batch.js';
import type { StrongOp } from './strong-params.js';
import type { WeakParams } from './weak.js';

/**
 * An affine map from an output pixel (x = column, y = row) to the input point it samples:
 * `[a0, a1, a2, b0, b1, b2]` means x' = a0·x + a1·y + a2, y' = b0·x + b1·y + b2 (tf.image.transform's rows).
 */
export type Affine = readonly [number, number, number, number, number, number];

export const IDENTITY_AFFINE: Affine = [1, 0, 0, 0, 1, 0];

/** Grey, as FixMatch fills the corners a rotate / shear / translate uncovers. */
export const GEOMETRY_FILL = 0.5;

/** The map of one geometric op about the frame centre, or null for a colour op. */
export function opAffine(op: StrongOp, height: number, width: number): Affine | null {
  const cy = (height - 1) / 2;
  const cx = (width - 1) / 2;
  const v = op.value;
  switch (op.name) {
    case 'rotate': {
      const cos = Math.cos((v * Math.PI) / 180);
      const sin = Math.sin((v * Math.PI) / 180);
      return [cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy];
    }
    case 'shearX':
      return [1, v, -v * cy, 0, 1, 0];
    case 'shearY':
      return [1, 0, 0, v, 1, -v * cx];
    case 'translateX':
      return [1, 0, -v * width, 0, 1, 0];
    case 'translateY':
      return [1, 0, 0, 0, 1, -v * height];
    default:
      return null;
  }
}

/** The map of applying `first`, then `second` (output → input, so the matrix product first · second). */
export function composeAffine(first: Affine, second: Affine): Affine {
  const [a0, a1, a2, b0, b1, b2] = first;
  const [c0, c1, c2, d0, d1, d2] = second;
  return [a0 * c0 + a1 * d0, a0 * c1 + a1 * d1, a0 * c2 + a1 * d2 + a2, b0 * c0 + b1 * d0, b0 * c1 + b1 * d1, b0 * c2 + b1 * d2 + b2];
}

/** The weak flip + shift as a map: the same sampling as applyWeak inside the frame. */
export function weakAffine(p: WeakParams, width: number): Affine {
  return p.flip ? [-1, 0, width - 1 - p.shiftX, 0, 1, -p.shiftY] : [1, 0, -p.shiftX, 0, 1, -p.shiftY];
}

export function isIdentityAffine(a: Affine): boolean {
  return a.every((v, i) => v === IDENTITY_AFFINE[i]);
}

/** The geometric ops of one clip composed into one map, in the order drawn. */
export function clipAffine(ops: readonly StrongOp[], height: number, width: number): Affine {
  let affine = IDENTITY_AFFINE;
  for (const op of ops) {
    const m = opAffine(op, height, width);
    if (m !== null) affine = composeAffine(affine, m);
  }
  return affine;
}

/**
 * Warps every frame of each clip by its clip's map in one batched tf.image.transform (bilinear, grey
 * fill). An identity map samples whole pixels with weight 1, so untransformed clips come out exact.
 */
export function warpClips(x: tf.Tensor5D, affines: readonly Affine[], shape: ClipBatchShape): tf.Tensor5D {
  const rows = repeatPerFrame(affines, shape.frames).map((a) => [...a, 0, 0]);
  return tf.tidy(() => {
    const transforms = tf.tensor2d(rows.flat(), [rows.length, 8]);
    return unfoldFrames(tf.image.transform(foldFrames(x, shape), transforms, 'bilinear', 'constant', GEOMETRY_FILL), shape);
  });
}
