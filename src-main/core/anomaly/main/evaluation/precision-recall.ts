/**
 * Frame-level precision–recall summaries beside ROC AUC. When anomalies are rare (a few percent of
 * frames), ROC AUC stays high for a detector that still flags many normal frames; average precision
 * and the best F1 say how clean the flagged frames are.
 *
 * Average precision as scikit-learn's average_precision_score: the step-wise sum over thresholds
 * (each distinct score, highest first, ties taken together) of (Rₙ − Rₙ₋₁)·Pₙ, with no interpolation.
 * The best-F1 threshold flags frames scoring at least it; F1 = 2TP / (2TP + FP + FN).
 */
import { ApiError } from '../../../../shared/errors.js';
import { scoresByClass, type Scores, type Truth } from './roc-auc.js';

export interface BestF1 {
  /** Flag frames whose score is at least this. */
  threshold: number;
  f1: number;
  precision: number;
  recall: number;
}

export interface PrecisionRecallSummary {
  averagePrecision: number;
  bestF1: BestF1;
}

/** Scores of anomalous and of normal frames, each sorted ascending (walked from the top below). */
function split(scores: Scores, truth: Truth): { pos: Float64Array; neg: Float64Array } {
  const sorted = scoresByClass(scores, truth);
  if (sorted.pos.length === 0) {
    throw new ApiError('INVALID_PARAMS', `Average precision needs anomalous frames, but all ${sorted.neg.length} frames are normal.`);
  }
  return sorted;
}

/** Average precision and the threshold of highest F1 (the highest such threshold on a tie), in one O(n log n) pass. */
export function precisionRecallSummary(scores: Scores, truth: Truth): PrecisionRecallSummary {
  const { pos, neg } = split(scores, truth);
  const positives = pos.length;
  let p = pos.length; // pos[p..] and neg[n..] are flagged
  let n = neg.length;
  let averagePrecision = 0;
  let lastRecall = 0;
  let best: BestF1 | null = null;
  while (p > 0 || n > 0) {
    const threshold = Math.max(p > 0 ? pos[p - 1]! : -Infinity, n > 0 ? neg[n - 1]! : -Infinity);
    while (p > 0 && pos[p - 1] === threshold) p--;
    while (n > 0 && neg[n - 1] === threshold) n--;
    const tp = positives - p;
    const fp = neg.length - n;
    const precision = tp / (tp + fp);
    const recall = tp / positives;
    averagePrecision += (recall - lastRecall) * precision;
    lastRecall = recall;
    const f1 = (2 * tp) / (tp + fp + positives);
    if (best === null || f1 > best.f1) best = { threshold, f1, precision, recall };
  }
  // The loop ran at least once: there is a positive.
  return { averagePrecision, bestF1: best! };
}
