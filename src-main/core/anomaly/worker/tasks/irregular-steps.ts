import type { Rng } from '../../../engine/random.js';

/**
 * Steps are in sampled frames: training and scoring keep ~10 frames a second (the run's sampleFps), so a
 * step is ~0.1 s whatever the camera's rate, a faster sample skips 0.2–0.3 s and a regular one spans ~0.6 s.
 *
 * How a motion-irregularity sample moves through the source tube: `regular` steps 1 frame at a time;
 * `faster` skips (each step 2 or 3 frames); `slower` repeats frames (steps of 0 and 1, at least one of
 * each); `frozen` shows the middle frame 7 times. Training on slower and frozen too matters: a model
 * that only ever saw faster samples scores frozen footage *below* normal.
 */
export type IrregularKind = 'regular' | 'faster' | 'slower' | 'frozen';

export interface IrregularParams {
  kind: IrregularKind;
  /** The 6 steps between the 7 frames, in source frames. */
  steps: readonly number[];
}

/** The largest skip: a faster sample reaches 3 × 3 frames either side of the middle. */
export const MAX_SKIP = 3;

export interface IrregularOptions {
  /** Share of samples that are irregular (label 1). */
  irregular: number;
  /** Relative weights of the irregular kinds. */
  weights: { faster: number; slower: number; frozen: number };
}

export const IRREGULAR_DEFAULTS: IrregularOptions = { irregular: 0.5, weights: { faster: 0.5, slower: 0.3, frozen: 0.2 } };

function checkOptions(o: IrregularOptions): void {
  if (!(o.irregular >= 0 && o.irregular <= 1)) throw new Error(`motion irregularity: the irregular share must be in [0, 1], got ${o.irregular}`);
  const weights = Object.entries(o.weights);
  for (const [kind, w] of weights) {
    if (!Number.isFinite(w) || w < 0) throw new Error(`motion irregularity: the ${kind} weight must be a number ≥ 0, got ${w}`);
  }
  if (o.irregular > 0 && weights.every(([, w]) => w === 0)) throw new Error('motion irregularity: irregular samples asked for but every kind has weight 0');
}

/** Source frames a tube needs for these options: 19 when faster samples can occur, else 7. */
export function irregularSourceFrames(options: IrregularOptions = IRREGULAR_DEFAULTS): number {
  const reach = options.irregular > 0 && options.weights.faster > 0 ? MAX_SKIP : 1;
  return 1 + 6 * reach;
}

function pickKind(rng: Rng, o: IrregularOptions): IrregularKind {
  if (!rng.bool(o.irregular)) return 'regular';
  const { faster, slower, frozen } = o.weights;
  const r = rng.next() * (faster + slower + frozen);
  if (r < faster) return 'faster';
  return r < faster + slower ? 'slower' : 'frozen';
}

function drawSteps(rng: Rng, kind: IrregularKind): number[] {
  switch (kind) {
    case 'regular':
      return [1, 1, 1, 1, 1, 1];
    case 'frozen':
      return [0, 0, 0, 0, 0, 0];
    case 'faster':
      return Array.from({ length: 6 }, () => 2 + rng.int(2));
    case 'slower': {
      const steps = Array.from({ length: 6 }, () => rng.int(2));
      // All ones would be regular and all zeros frozen: flip one step instead of redrawing.
      const total = steps.reduce((a, b) => a + b, 0);
      if (total === 6 || total === 0) steps[rng.int(6)] = total === 6 ? 0 : 1;
      return steps;
    }
  }
}

export function drawIrregularParams(rng: Rng, count: number, options: IrregularOptions = IRREGULAR_DEFAULTS): IrregularParams[] {
  checkOptions(options);
  return Array.from({ length: count }, () => {
    const kind = pickKind(rng, options);
    return { kind, steps: drawSteps(rng, kind) };
  });
}

/** The 7 frame offsets the steps visit, placed so the 4th (the middle) is the source tube's middle frame. */
export function stepOffsets(steps: readonly number[]): number[] {
  if (steps.length !== 6) throw new Error(`motion irregularity: 6 steps join 7 frames, got ${steps.length}`);
  const positions = [0];
  for (const step of steps) {
    if (!Number.isInteger(step) || step < 0) throw new Error(`motion irregularity: steps must be whole numbers ≥ 0, got ${step}`);
    positions.push(positions[positions.length - 1]! + step);
  }
  const middle = positions[3]!;
  return positions.map((p) => p - middle);
}
