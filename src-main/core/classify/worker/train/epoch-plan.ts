import type { Rng } from '../../../engine/random.js';

export interface EpochShape {
  /** Labelled training clips (L). */
  labelled: number;
  /** Unlabelled clips used for training (U; 0 for supervised-only). */
  unlabelled: number;
  /**
   * Unlabelled clips that set an epoch's length when none are trained on: supervised-only runs
   * the same steps per epoch as the semi-supervised methods, so equal epochs are equal budgets.
   */
  epochUnlabelled?: number;
  /** B: labelled clips per step. */
  batchSize: number;
  /** μ: unlabelled clips per labelled clip in a step. */
  mu: number;
}

/** Which clips one step trains on: indices into the labelled and unlabelled lists. */
export interface StepClips {
  labelled: number[];
  unlabelled: number[];
}

/** An epoch is one pass over the unlabelled clips, or over the labelled ones if that takes more steps. */
export function stepsPerEpoch(shape: EpochShape): number {
  const unlabelledSteps = Math.max(shape.unlabelled, shape.epochUnlabelled ?? 0) / (shape.mu * shape.batchSize);
  const labelledSteps = shape.labelled / shape.batchSize;
  return Math.max(1, Math.ceil(Math.max(unlabelledSteps, labelledSteps)));
}

/** `count` indices of [0, n): whole shuffled passes one after another, so every index comes up evenly. */
function shuffledPasses(rng: Rng, n: number, count: number): number[] {
  const out: number[] = [];
  if (n === 0) return out;
  const order = Array.from({ length: n }, (_, i) => i);
  while (out.length < count) {
    rng.shuffle(order);
    out.push(...order.slice(0, count - out.length));
  }
  return out;
}

/**
 * The clips of every step of one epoch: B labelled and μB unlabelled per step, each list drawn as
 * shuffled passes (the labelled list, far shorter, is passed over many times per epoch).
 */
export function planEpoch(rng: Rng, shape: EpochShape): StepClips[] {
  const steps = stepsPerEpoch(shape);
  const unlabelledPerStep = shape.unlabelled > 0 ? shape.mu * shape.batchSize : 0;
  const labelled = shuffledPasses(rng, shape.labelled, steps * shape.batchSize);
  const unlabelled = shuffledPasses(rng, shape.unlabelled, steps * unlabelledPerStep);
  return Array.from({ length: steps }, (_, s) => ({
    labelled: labelled.slice(s * shape.batchSize, (s + 1) * shape.batchSize),
    unlabelled: unlabelled.slice(s * unlabelledPerStep, (s + 1) * unlabelledPerStep),
  }));
}
