import type { Rng } from '../../../engine/random.js';
import { drawWeakParams, type AugmentOptions, type WeakParams } from './weak.js';

/** FixMatch's RandAugment pool (its `fixmatch_augment_pool`). */
export const STRONG_OPS = [
  'identity',
  'autocontrast',
  'equalize',
  'brightness',
  'colour',
  'contrast',
  'sharpness',
  'posterize',
  'solarize',
  'rotate',
  'shearX',
  'shearY',
  'translateX',
  'translateY',
] as const;
export type StrongOpName = (typeof STRONG_OPS)[number];

/** Distinct ops per clip (RandAugment N = 2). */
export const STRONG_OPS_PER_CLIP = 2;

/**
 * Each op's value range (FixMatch paper, table 12), the value drawn uniformly per clip:
 * enhance factors (1 = unchanged, 0 = fully degenerate), posterize bits, solarize threshold,
 * degrees, shear, and translate as a fraction of the side.
 */
export const STRONG_OP_RANGES: Readonly<Record<StrongOpName, readonly [number, number]>> = {
  identity: [0, 0],
  autocontrast: [0, 0],
  equalize: [0, 0],
  brightness: [0.05, 0.95],
  colour: [0.05, 0.95],
  contrast: [0.05, 0.95],
  sharpness: [0.05, 0.95],
  posterize: [4, 8],
  solarize: [0, 1],
  rotate: [-30, 30],
  shearX: [-0.3, 0.3],
  shearY: [-0.3, 0.3],
  translateX: [-0.3, 0.3],
  translateY: [-0.3, 0.3],
};

/** Cutout's side is up to this fraction of the shorter side. */
export const CUTOUT_MAX_FRACTION = 0.5;

export interface StrongOp {
  name: StrongOpName;
  /** In the op's own unit (see STRONG_OP_RANGES); whole bits for posterize. */
  value: number;
}

/** Pixel rows [top, bottom) × columns [left, right) filled grey on every frame; empty when top = bottom. */
export interface CutoutBox {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** The strong transform of one clip, applied alike to all its frames. */
export interface StrongParams {
  ops: StrongOp[];
  cutout: CutoutBox;
  weak: WeakParams;
}

function drawOp(rng: Rng, name: StrongOpName): StrongOp {
  const [min, max] = STRONG_OP_RANGES[name];
  if (name === 'posterize') return { name, value: min + rng.int(max - min + 1) };
  return { name, value: rng.uniform(min, max) };
}

/** A square of side up to half the shorter side, centred anywhere, clipped to the frame (FixMatch's CutoutAbs). */
function drawCutout(rng: Rng, height: number, width: number): CutoutBox {
  const side = Math.round(rng.uniform(0, CUTOUT_MAX_FRACTION) * Math.min(height, width));
  const centreY = rng.int(height);
  const centreX = rng.int(width);
  const top = centreY - Math.floor(side / 2);
  const left = centreX - Math.floor(side / 2);
  return {
    top: Math.max(0, top),
    bottom: Math.min(height, top + side),
    left: Math.max(0, left),
    right: Math.min(width, left + side),
  };
}

export function drawStrongParams(rng: Rng, clips: number, height: number, width: number, options: AugmentOptions): StrongParams[] {
  const params: StrongParams[] = [];
  for (let i = 0; i < clips; i++) {
    const ops = rng.sample(STRONG_OPS, STRONG_OPS_PER_CLIP).map((name) => drawOp(rng, name));
    const cutout = drawCutout(rng, height, width);
    const [weak] = drawWeakParams(rng, 1, height, width, options);
    params.push({ ops, cutout, weak: weak as WeakParams });
  }
  return params;
}
