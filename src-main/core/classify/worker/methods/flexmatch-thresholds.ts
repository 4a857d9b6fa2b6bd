/**
 * FlexMatch's curriculum thresholds (Zhang et al. 2021; USB's FlexMatchThresholdingHook).
 * Per unlabelled clip n, û_n ∈ {−1, 0..C−1} (−1: never predicted with confidence ≥ τ).
 * σ(c) = #{n : û_n = c}; β(c) = σ(c) / max(max_c σ(c), N − Σσ) with warm-up, σ(c) / max_c σ(c) without
 * (all 0 while no clip has been predicted); T(c) = τ · β(c) / (2 − β(c)).
 */
export interface FlexMatchState {
  tau: number;
  warmup: boolean;
  classes: number;
  /** û_n for each unlabelled clip. */
  predicted: number[];
}

export class FlexMatchThresholds {
  private readonly predicted: Int32Array;
  private thresholds: number[];
  /** τ as float32: probabilities are float32, and 0.95f < 0.95 would reject a top probability of exactly τ. */
  private readonly tau32: number;

  constructor(
    readonly unlabelled: number,
    readonly classes: number,
    readonly tau: number,
    readonly warmup: boolean,
  ) {
    if (!Number.isInteger(unlabelled) || unlabelled < 0) throw new Error(`FlexMatch: unlabelled count must be an integer ≥ 0, got ${unlabelled}`);
    if (!Number.isInteger(classes) || classes < 1) throw new Error(`FlexMatch: classes must be an integer ≥ 1, got ${classes}`);
    if (!(tau >= 0 && tau <= 1)) throw new Error(`FlexMatch: τ must be in [0, 1], got ${tau}`);
    this.tau32 = Math.fround(tau);
    this.predicted = new Int32Array(unlabelled).fill(-1);
    this.thresholds = this.computeThresholds();
  }

  /** σ(c): how many clips are currently predicted as each class. */
  classCounts(): number[] {
    const counts = new Array<number>(this.classes).fill(0);
    for (const label of this.predicted) if (label >= 0) counts[label] = (counts[label] ?? 0) + 1;
    return counts;
  }

  /** β(c), the learning effect of each class in [0, 1]. */
  learningEffects(): number[] {
    const counts = this.classCounts();
    const maxClass = Math.max(0, ...counts);
    const unused = this.unlabelled - counts.reduce((a, b) => a + b, 0);
    const denominator = this.warmup ? Math.max(maxClass, unused) : maxClass;
    return counts.map((count) => (denominator > 0 ? count / denominator : 0));
  }

  private computeThresholds(): number[] {
    return this.learningEffects().map((beta) => (this.tau * beta) / (2 - beta));
  }

  /** T(c) per class, in class order. */
  classThresholds(): number[] {
    return [...this.thresholds];
  }

  private checkRows(probs: Float32Array, indices: readonly number[]): void {
    if (probs.length !== indices.length * this.classes) {
      throw new Error(`FlexMatch: ${probs.length} probabilities for ${indices.length} clips of ${this.classes} classes`);
    }
    for (const index of indices) {
      if (!Number.isInteger(index) || index < 0 || index >= this.unlabelled) {
        throw new Error(`FlexMatch: unlabelled index ${index} is outside [0, ${this.unlabelled})`);
      }
    }
  }

  /** 1 where a row's top probability reaches its class's threshold, else 0. `probs` is row-major [rows, C]. */
  mask(probs: Float32Array, indices: readonly number[]): Float32Array {
    this.checkRows(probs, indices);
    return maskFromThresholds(probs, this.classes, this.thresholds);
  }

  /** Records û_n = argmax for rows whose top probability reaches the fixed τ, then recomputes T(c). */
  update(indices: readonly number[], probs: Float32Array): void {
    this.checkRows(probs, indices);
    for (let row = 0; row < indices.length; row++) {
      const { top, best } = rowMax(probs, row, this.classes);
      if (top >= this.tau32) this.predicted[indices[row] as number] = best;
    }
    this.thresholds = this.computeThresholds();
  }

  toJSON(): FlexMatchState {
    return { tau: this.tau, warmup: this.warmup, classes: this.classes, predicted: Array.from(this.predicted) };
  }

  static fromJSON(state: FlexMatchState): FlexMatchThresholds {
    const flex = new FlexMatchThresholds(state.predicted.length, state.classes, state.tau, state.warmup);
    state.predicted.forEach((label, i) => {
      if (!Number.isInteger(label) || label < -1 || label >= state.classes) {
        throw new Error(`FlexMatch state: clip ${i} has class ${label}, outside −1..${state.classes - 1}`);
      }
      flex.predicted[i] = label;
    });
    flex.thresholds = flex.computeThresholds();
    return flex;
  }
}

/** 1 where a row's top probability reaches the threshold of its top class, else 0. `probs` is row-major [rows, C]. */
export function maskFromThresholds(probs: Float32Array, classes: number, thresholds: readonly number[]): Float32Array {
  if (thresholds.length !== classes) throw new Error(`${thresholds.length} thresholds for ${classes} classes`);
  const rows = classes > 0 ? probs.length / classes : 0;
  const out = new Float32Array(rows);
  for (let row = 0; row < rows; row++) {
    const { top, best } = rowMax(probs, row, classes);
    out[row] = top >= Math.fround(thresholds[best] ?? 0) ? 1 : 0;
  }
  return out;
}

export function rowMax(probs: Float32Array, row: number, classes: number): { top: number; best: number } {
  let best = 0;
  let top = -Infinity;
  for (let c = 0; c < classes; c++) {
    const p = probs[row * classes + c] ?? -Infinity;
    if (p > top) {
      top = p;
      best = c;
    }
  }
  return { top, best };
}
