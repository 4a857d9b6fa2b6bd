import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/random.js';
import { channelOps } from './channel-ops.js';
import { checkParamCount, clipBatchShape, type ClipBatchShape } from './clip-batch.js';
import { linearColour, posterize, sharpness, solarize } from './colour-ops.js';
import { applyCutout } from './cutout.js';
import { clipAffine, composeAffine, isIdentityAffine, warpClips, weakAffine } from './geometry.js';
import { drawStrongParams, type StrongOpName, type StrongParams } from './strong-params.js';
import type { AugmentOptions } from './weak.js';

function drew(params: readonly StrongParams[], name: StrongOpName): boolean[] {
  return params.map((p) => p.ops.some((op) => op.name === name));
}

/** The op's value for each clip, or `identity` for clips that did not draw it. */
function values(params: readonly StrongParams[], name: StrongOpName, identity: number): number[] {
  return params.map((p) => p.ops.find((op) => op.name === name)?.value ?? identity);
}

/**
 * The colour ops. Each runs once over the whole batch, clips that did not draw it getting its
 * identity, so a clip's two ops apply in this fixed order rather than the order drawn: one pass
 * instead of one per draw, and most of these ops nearly commute.
 */
function colourOps(x: tf.Tensor5D, params: readonly StrongParams[], shape: ClipBatchShape): tf.Tensor5D {
  const steps: ((y: tf.Tensor5D) => tf.Tensor5D)[] = [];
  const autocontrast = drew(params, 'autocontrast');
  const equalize = drew(params, 'equalize');
  if (autocontrast.includes(true) || equalize.includes(true)) steps.push((y) => channelOps(y, { autocontrast, equalize }, shape));
  if ((['brightness', 'colour', 'contrast'] as const).some((name) => drew(params, name).includes(true))) {
    const factors = {
      brightness: values(params, 'brightness', 1),
      colour: values(params, 'colour', 1),
      contrast: values(params, 'contrast', 1),
    };
    steps.push((y) => linearColour(y, factors, shape));
  }
  if (drew(params, 'sharpness').includes(true)) steps.push((y) => sharpness(y, values(params, 'sharpness', 1), shape));
  if (drew(params, 'posterize').includes(true)) steps.push((y) => posterize(y, values(params, 'posterize', 8)));
  if (drew(params, 'solarize').includes(true)) steps.push((y) => solarize(y, values(params, 'solarize', 2)));
  let y = x;
  for (const step of steps) {
    const next = step(y);
    if (y !== x) y.dispose();
    y = next;
  }
  return y;
}

/**
 * RandAugment + cutout + weak transform with explicit per-clip parameters: the colour ops; then one
 * bilinear warp per clip that composes its geometric ops (rotate, shear, translate) with its weak
 * flip/shift (so the shift fills the uncovered border grey like the other geometric ops, instead of
 * reflecting, and saves a second resampling pass); then cutout, its box in final frame coordinates.
 */
export function applyStrong(x: tf.Tensor5D, params: readonly StrongParams[]): tf.Tensor5D {
  const shape = clipBatchShape(x);
  checkParamCount('strong', params, shape);
  const coloured = colourOps(x, params, shape);
  let y = coloured === x ? x : tf.tidy(() => tf.clipByValue(coloured, 0, 1));
  if (coloured !== x) coloured.dispose();
  const affines = params.map((p) => composeAffine(clipAffine(p.ops, shape.height, shape.width), weakAffine(p.weak, shape.width)));
  if (!affines.every(isIdentityAffine)) {
    const warped = tf.tidy(() => warpClips(y, affines, shape));
    if (y !== x) y.dispose();
    y = warped;
  }
  if (params.some((p) => p.cutout.bottom > p.cutout.top && p.cutout.right > p.cutout.left)) {
    const cut = tf.tidy(() =>
      applyCutout(
        y,
        params.map((p) => p.cutout),
        shape,
      ),
    );
    if (y !== x) y.dispose();
    y = cut;
  }
  return y === x ? x.clone() : y;
}

/**
 * FixMatch's strong view: per clip two distinct RandAugment ops with random magnitudes, a weak
 * flip/shift, and a grey cutout square (side up to half the frame); all drawn once per clip from
 * `rng` and applied alike to every frame.
 */
export function strongAugment(x: tf.Tensor5D, rng: Rng, options: AugmentOptions): tf.Tensor5D {
  const shape = clipBatchShape(x);
  return applyStrong(x, drawStrongParams(rng, shape.clips, shape.height, shape.width, options));
}
