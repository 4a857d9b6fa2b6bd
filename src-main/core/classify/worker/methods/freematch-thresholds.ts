/**
 * FreeMatch's self-adaptive thresholds (Wang et al., ICLR 2023; USB's FreeMatchThresholingHook), from each
 * step's weak-view probabilities q [rows, C], with momentum λ:
 *   global  τ ← λτ + (1 − λ) · mean_b max_c q_bc              (starts at 1/C)
 *   local   p̃ ← λp̃ + (1 − λ) · mean_b q_b                     (starts at 1/C each)
 *   histogram h̃ ← λh̃ + (1 − λ) · (share of rows whose argmax is c)   (starts at 1/C each; the fairness term reads it)
 *   T(c) = τ · p̃(c) / max_c p̃(c)
 * A row is pseudo-labelled when its top probability reaches T(its top class). The thresholds a step masks with
 * are those before it (as FlexMatch's here); USB updates first, a difference of (1 − λ) of one batch.
 */
import { rowMax } from './flexmatch-thresholds.js';

export interface FreeMatchState {
  kind: 'freematch';
  momentum: number;
  /** τ_t, the global threshold. */
  confidence: number;
  /** p̃_t, the running mean probability of each class. */
  classMean: number[];
  /** h̃_t, the running share of rows predicted as each class. */
  labelHistogram: number[];
}

/** What FreeMatch's fairness term compares a step's masked strong predictions with. */
export interface FairnessReference {
  classMean: readonly number[];
  labelHistogram: readonly number[];
}

export class FreeMatchThresholds {
  private confidence: number;
  private readonly classMean: number[];
  private readonly labelHistogram: number[];

  constructor(
    readonly classes: number,
    readonly momentum: number,
  ) {
    if (!Number.isInteger(classes) || classes < 1) throw new Error(`FreeMatch: classes must be an integer ≥ 1, got ${classes}`);
    if (!(momentum >= 0 && momentum < 1)) throw new Error(`FreeMatch: momentum λ must be in [0, 1), got ${momentum}`);
    this.confidence = 1 / classes;
    this.classMean = new Array<number>(classes).fill(1 / classes);
    this.labelHistogram = new Array<number>(classes).fill(1 / classes);
  }

  /** τ_t. */
  globalThreshold(): number {
    return this.confidence;
  }

  /** T(c) = τ_t · MaxNorm(p̃_t)(c). */
  classThresholds(): number[] {
    const top = Math.max(...this.classMean);
    return this.classMean.map((p) => (top > 0 ? (this.confidence * p) / top : this.confidence));
  }

  fairnessReference(): FairnessReference {
    return { classMean: [...this.classMean], labelHistogram: [...this.labelHistogram] };
  }

  /** One step's EMA updates from its weak probabilities (row-major [rows, C]); a step without unlabelled rows changes nothing. */
  update(_indices: readonly number[], probs: Float32Array): void {
    const c = this.classes;
    if (probs.length % c !== 0) throw new Error(`FreeMatch: ${probs.length} probabilities are not rows of ${c} classes`);
    const rows = probs.length / c;
    if (rows === 0) return;
    let topSum = 0;
    const meanProbs = new Array<number>(c).fill(0);
    const counts = new Array<number>(c).fill(0);
    for (let row = 0; row < rows; row++) {
      const { top, best } = rowMax(probs, row, c);
      topSum += top;
      counts[best] = (counts[best] ?? 0) + 1;
      for (let k = 0; k < c; k++) meanProbs[k] = (meanProbs[k] ?? 0) + (probs[row * c + k] ?? 0);
    }
    const m = this.momentum;
    this.confidence = m * this.confidence + (1 - m) * (topSum / rows);
    for (let k = 0; k < c; k++) {
      this.classMean[k] = m * (this.classMean[k] ?? 0) + (1 - m) * ((meanProbs[k] ?? 0) / rows);
      this.labelHistogram[k] = m * (this.labelHistogram[k] ?? 0) + (1 - m) * ((counts[k] ?? 0) / rows);
    }
  }

  toJSON(): FreeMatchState {
    return {
      kind: 'freematch',
      momentum: this.momentum,
      confidence: this.confidence,
      classMean: [...this.classMean],
      labelHistogram: [...this.labelHistogram],
    };
  }

  static fromJSON(state: FreeMatchState): FreeMatchThresholds {
    const { classMean, labelHistogram } = state;
    if (labelHistogram.length !== classMean.length) {
      throw new Error(`FreeMatch state: ${classMean.length} class means but ${labelHistogram.length} histogram entries`);
    }
    const values = [state.confidence, ...classMean, ...labelHistogram];
    if (values.some((v) => !(v >= 0 && v <= 1))) throw new Error('FreeMatch state: a confidence, class mean or histogram entry is outside [0, 1]');
    const thresholds = new FreeMatchThresholds(classMean.length, state.momentum);
    thresholds.confidence = state.confidence;
    classMean.forEach((v, i) => (thresholds.classMean[i] = v));
    labelHistogram.forEach((v, i) => (thresholds.labelHistogram[i] = v));
    return thresholds;
  }
}
