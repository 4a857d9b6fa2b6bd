/** Summaries of one clip's class probabilities: what the review queue and exports sort by. */
export interface PredictionStats {
  classIndex: number;
  confidence: number;
  /** Top probability minus the runner-up. */
  margin: number;
  /** In nats. */
  entropy: number;
}

export function predictionStats(probs: ArrayLike<number>): PredictionStats {
  let best = 0;
  let second = 0;
  let classIndex = 0;
  let entropy = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i] ?? 0;
    if (p > best) {
      second = best;
      best = p;
      classIndex = i;
    } else if (p > second) {
      second = p;
    }
    if (p > 0) entropy -= p * Math.log(p);
  }
  return { classIndex, confidence: best, margin: best - second, entropy };
}
