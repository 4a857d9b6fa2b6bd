import * as tf from '@tensorflow/tfjs';
import { BT601_LUMA } from '../../../imaging/grey.js';
import { foldFrames, perClip, unfoldFrames, type ClipBatchShape } from './clip-batch.js';

// Colour ops with one parameter per clip, applied alike to every frame (PIL ImageEnhance / ImageOps
// semantics on 0..1 values). A clip that did not draw an op gets its identity parameter and stays
// exactly unchanged. Only per-clip `[N,1,1,1,1]` broadcasts: the fast path on wasm. Each op frees
// its temporaries at once: a full-size temporary is 22 MB at 56×8×64×64×3.

/** ITU-R 601-2 luma, as PIL's convert('L'). */
const LUMA = BT601_LUMA;

/** Per-clip enhance factors; 1 leaves a clip unchanged. */
export interface LinearColourFactors {
  brightness: readonly number[];
  colour: readonly number[];
  contrast: readonly number[];
}

/** The luma written to all three channels (a 1×1 conv). */
function grey(x: tf.Tensor5D, shape: ClipBatchShape): tf.Tensor5D {
  const toGrey = tf.tensor4d(
    LUMA.flatMap((w) => [w, w, w]),
    [1, 1, 3, 3],
  );
  return unfoldFrames(tf.conv2d(foldFrames(x, shape), toGrey, 1, 'valid'), shape);
}

/**
 * Brightness, then colour (saturation), then contrast, as one per-clip map `α·x + β·grey(x) + γ`.
 * PIL's ops are blends `f·x + (1 − f)·degenerate` with degenerates 0, grey(x) and the mean luma μ,
 * all linear with grey(grey(x)) = grey(x), so the three compose exactly into
 * α = k·b·c, β = k·b·(1 − c), γ = (1 − k)·b·μ: five full-size ops instead of nine.
 * The mean luma is the clip's (over all its frames), so every frame gets the same mapping.
 */
export function linearColour(x: tf.Tensor5D, factors: LinearColourFactors, shape: ClipBatchShape): tf.Tensor5D {
  return tf.tidy(() => {
    const b = factors.brightness;
    const c = factors.colour;
    const k = factors.contrast;
    const alpha = b.map((bi, i) => (k[i] ?? 1) * bi * (c[i] ?? 1));
    const beta = b.map((bi, i) => (k[i] ?? 1) * bi * (1 - (c[i] ?? 1)));
    const gammaPerMean = b.map((bi, i) => (1 - (k[i] ?? 1)) * bi);
    let out = x.mul<tf.Tensor5D>(perClip(alpha));
    if (beta.some((v) => v !== 0)) out = out.add(grey(x, shape).mul(perClip(beta)));
    if (gammaPerMean.some((v) => v !== 0)) {
      const channelMeans = x.reshape([shape.clips, -1, 3]).mean<tf.Tensor2D>(1);
      const meanLuma = tf.matMul(channelMeans, tf.tensor2d([...LUMA], [3, 1])).reshape([shape.clips, 1, 1, 1, 1]);
      out = out.add(meanLuma.mul(perClip(gammaPerMean)));
    }
    return out;
  });
}

/** Blend with PIL's SMOOTH filter; the border mirrors so edges keep their brightness. */
export function sharpness(x: tf.Tensor5D, factors: readonly number[], shape: ClipBatchShape): tf.Tensor5D {
  return tf.tidy(() => {
    const smooth = [1, 1, 1, 1, 5, 1, 1, 1, 1].flatMap((w) => [w / 13, w / 13, w / 13]);
    const padded = tf.mirrorPad(
      foldFrames(x, shape),
      [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ],
      'symmetric',
    );
    const blurred = unfoldFrames(tf.depthwiseConv2d(padded, tf.tensor4d(smooth, [3, 3, 3, 1]), 1, 'valid'), shape);
    padded.dispose();
    const f = perClip(factors);
    return x.mul(f).add(blurred.mul(tf.sub(1, f)));
  });
}

/** Keeps the top `bits` bits of each 8-bit value; clips with 8 bits are untouched. */
export function posterize(x: tf.Tensor5D, bits: readonly number[]): tf.Tensor5D {
  return tf.tidy(() => {
    const step = bits.map((b) => 2 ** (8 - b));
    const chosen = perClip(bits.map((b) => (b < 8 ? 1 : 0)));
    const levels = tf.round(x.mul(255)).mul(perClip(step.map((q) => 1 / q)));
    const posterized = tf.floor(levels).mul(perClip(step.map((q) => q / 255)));
    return x.add(posterized.sub(x).mul(chosen));
  });
}

/** Inverts values at or above the threshold (a threshold above 1 leaves the clip). */
export function solarize(x: tf.Tensor5D, thresholds: readonly number[]): tf.Tensor5D {
  return tf.tidy(() => {
    // step() is 0 at 0: the small offset makes a value equal to the threshold count as above it.
    const above = tf.step(x.sub(perClip(thresholds.map((t) => t - 1e-6))));
    return x.add(above.mul(tf.sub(1, x.mul(2))));
  });
}
