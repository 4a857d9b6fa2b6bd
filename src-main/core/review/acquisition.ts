/**
 * Acquisition functions: how useful it is to show a person a predicted clip. Higher scores come
 * first in the review queue; a clip a strategy cannot score (no MC passes) goes last.
 */
import type { AcquisitionStrategy } from '../../shared/review.js';
import { predictionStats } from '../classify/main/prediction-stats.js';

/** What the strategies look at, all derived from one stored prediction. */
export interface AcquisitionFeatures {
  clipId: number;
  /** Top eval-mode probability. */
  confidence: number;
  /** Top probability minus the runner-up. */
  margin: number;
  /** Entropy of the eval-mode probabilities, in nats. */
  entropy: number;
  /** MC-dropout std of the predicted class (null without MC passes). */
  uncertainty: number | null;
  /** BALD mutual information (null without MC passes). */
  mutualInfo: number | null;
}

/** The features of a clip from its eval-mode probabilities and its MC statistics. */
export function featuresOf(
  clipId: number,
  probs: ArrayLike<number>,
  mc: { uncertainty: number | null; mutualInfo: number | null } = { uncertainty: null, mutualInfo: null },
): AcquisitionFeatures {
  const { confidence, margin, entropy } = predictionStats(probs);
  return { clipId, confidence, margin, entropy, ...mc };
}

/**
 * The score of a clip mc-std or BALD cannot score (predicted without MC passes). Both measures are
 * ≥ 0, so −1 puts such clips after every scored one, like −∞ would, and survives JSON (−∞ does not).
 */
export const UNSCORED = -1;

/** A uniform number in [0, 1) fixed by (seed, clipId): mulberry32 seeded with a hash of both. */
export function seededUniform(seed: number, clipId: number): number {
  let state = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(clipId, 0xc2b2ae35);
  state = (state ^ (state >>> 16)) >>> 0;
  // One mulberry32 step.
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Strategies that score the queue as a whole (a clip's place depends on the others), not clip by clip. */
export const SET_STRATEGIES = ['badge'] as const satisfies readonly AcquisitionStrategy[];
export type SetStrategy = (typeof SET_STRATEGIES)[number];
export type ClipStrategy = Exclude<AcquisitionStrategy, SetStrategy>;

export function isSetStrategy(strategy: AcquisitionStrategy): strategy is SetStrategy {
  return (SET_STRATEGIES as readonly string[]).includes(strategy);
}

export function acquisitionScore(strategy: ClipStrategy, f: AcquisitionFeatures, seed: number): number {
  switch (strategy) {
    case 'least-confidence':
      return 1 - f.confidence;
    case 'margin':
      return -f.margin;
    case 'entropy':
      return f.entropy;
    case 'mc-std':
      return f.uncertainty ?? UNSCORED;
    case 'bald':
      return f.mutualInfo ?? UNSCORED;
    case 'random':
      return seededUniform(seed, f.clipId);
    case 'confident':
      return f.confidence;
  }
}

/** Queue order: higher score first, ties by clip id. */
export function compareScored(a: { score: number; clipId: number }, b: { score: number; clipId: number }): number {
  if (a.score !== b.score) return a.score > b.score ? -1 : 1;
  return a.clipId - b.clipId;
}

/** Scores and orders clips for a strategy. */
export function orderByAcquisition<T extends AcquisitionFeatures>(
  strategy: ClipStrategy,
  items: readonly T[],
  seed: number,
): (T & { score: number })[] {
  return items.map((item) => ({ ...item, score: acquisitionScore(strategy, item, seed) })).sort(compareScored);
}
