import { ApiError } from '../../../../shared/errors.js';

/** Per-frame scores (higher = more anomalous): a Float32Array, Float64Array or plain array. */
export type Scores = ArrayLike<number>;
/** Per-frame ground truth: 1 = anomalous, 0 = normal. */
export type Truth = ArrayLike<number>;

/** One corner of the ROC: flag every frame whose score is at least `threshold`. */
export interface RocPoint {
  threshold: number;
  /** False positive rate: the share of normal frames flagged. */
  fpr: number;
  /** True positive rate: the share of anomalous frames flagged. */
  tpr: number;
}

export interface ClassCounts {
  positives: number;
  negatives: number;
}

/**
 * Counts anomalous and normal frames, checking that scores and truth pair up, that every
 * truth value is 0 or 1 and every score a finite number (a NaN would make the ranking undefined).
 */
export function classCounts(scores: Scores, truth: Truth): ClassCounts {
  if (scores.length !== truth.length) {
    throw new ApiError(
      'INVALID_PARAMS',
      `Scores and ground truth differ in length: ${scores.length} scores for ${truth.length} truth frames.`,
    );
  }
  let positives = 0;
  for (let i = 0; i < truth.length; i++) {
    const label = truth[i]!;
    if (label === 1) positives++;
    else if (label !== 0) {
      throw new ApiError('INVALID_PARAMS', `Ground truth must be 0 or 1; frame ${i} is ${label}.`);
    }
    const score = scores[i]!;
    if (!Number.isFinite(score)) throw new ApiError('INVALID_PARAMS', `The score of frame ${i} is ${score}.`);
  }
  return { positives, negatives: truth.length - positives };
}

function requireBothClasses(counts: ClassCounts): void {
  if (counts.positives > 0 && counts.negatives > 0) return;
  const total = counts.positives + counts.negatives;
  if (total === 0) throw new ApiError('INVALID_PARAMS', 'AUC needs frames: there are none.');
  const which = counts.positives === 0 ? 'normal' : 'anomalous';
  throw new ApiError(
    'INVALID_PARAMS',
    `AUC needs both normal and anomalous frames, but the ground truth marks all ${total} frames as ${which}.`,
  );
}

/**
 * The scores of anomalous and of normal frames, each sorted ascending (either may be empty). The native
 * numeric sort of a Float64Array is a few times faster than sorting frame indices with a comparator.
 */
export function scoresByClass(scores: Scores, truth: Truth): { pos: Float64Array; neg: Float64Array } {
  const counts = classCounts(scores, truth);
  const pos = new Float64Array(counts.positives);
  const neg = new Float64Array(counts.negatives);
  let p = 0;
  let n = 0;
  for (let i = 0; i < truth.length; i++) {
    if (truth[i] === 1) pos[p++] = scores[i]!;
    else neg[n++] = scores[i]!;
  }
  return { pos: pos.sort(), neg: neg.sort() };
}

function sortedByClass(scores: Scores, truth: Truth): { pos: Float64Array; neg: Float64Array } {
  const sorted = scoresByClass(scores, truth);
  requireBothClasses({ positives: sorted.pos.length, negatives: sorted.neg.length });
  return sorted;
}

/**
 * Area under the ROC curve: the probability that a random anomalous frame scores above a random
 * normal one, ties counting one half (Mann–Whitney U / (P·N)). That equals the trapezoid area of
 * the ROC in which tied scores form one diagonal step. O(n log n): two sorts and one merge.
 */
export function rocAuc(scores: Scores, truth: Truth): number {
  const { pos, neg } = sortedByClass(scores, truth);
  // For each run of equal positive scores: negatives strictly below count 1, equal ones 1/2.
  let below = 0; // negatives with score < current positive score
  let twiceU = 0; // 2·U keeps the sum in integers until the final division
  let i = 0;
  while (i < pos.length) {
    const value = pos[i]!;
    let runEnd = i;
    while (runEnd < pos.length && pos[runEnd] === value) runEnd++;
    while (below < neg.length && neg[below]! < value) below++;
    let equalEnd = below;
    while (equalEnd < neg.length && neg[equalEnd] === value) equalEnd++;
    twiceU += (runEnd - i) * (2 * below + (equalEnd - below));
    i = runEnd;
  }
  return twiceU / (2 * pos.length * neg.length);
}

/**
 * The ROC as points for display, from (0, 0) at threshold +∞ to (1, 1): one point per distinct
 * score, so tied scores move both rates in one step. With `maxPoints`, a point is kept only once
 * the curve has moved 2 / maxPoints (fpr + tpr) since the last kept one, so a million frames
 * draw as at most about maxPoints points; the end points are always kept.
 */
export function rocCurve(scores: Scores, truth: Truth, options: { maxPoints?: number } = {}): RocPoint[] {
  const { maxPoints } = options;
  if (maxPoints !== undefined && !(Number.isInteger(maxPoints) && maxPoints >= 2)) {
    throw new ApiError('INVALID_PARAMS', `maxPoints must be a whole number of at least 2, not ${maxPoints}.`);
  }
  const minStep = maxPoints === undefined ? 0 : 2 / maxPoints;
  const { pos, neg } = sortedByClass(scores, truth);
  const points: RocPoint[] = [{ threshold: Infinity, fpr: 0, tpr: 0 }];
  let last = points[0]!;
  // Walk both sorted classes from the top, one distinct score at a time.
  let p = pos.length; // pos[p..] and neg[n..] are flagged
  let n = neg.length;
  while (p > 0 || n > 0) {
    const threshold = Math.max(p > 0 ? pos[p - 1]! : -Infinity, n > 0 ? neg[n - 1]! : -Infinity);
    while (p > 0 && pos[p - 1] === threshold) p--;
    while (n > 0 && neg[n - 1] === threshold) n--;
    const fpr = (neg.length - n) / neg.length;
    const tpr = (pos.length - p) / pos.length;
    const isLast = p === 0 && n === 0;
    if (isLast || fpr - last.fpr + (tpr - last.tpr) >= minStep) {
      last = { threshold, fpr, tpr };
      points.push(last);
    }
  }
  return points;
}

/** Trapezoid area under a curve of points sorted by fpr (as `rocCurve` returns them). */
export function areaUnderCurve(points: readonly RocPoint[]): number {
  let area = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    area += ((b.fpr - a.fpr) * (a.tpr + b.tpr)) / 2;
  }
  return area;
}
