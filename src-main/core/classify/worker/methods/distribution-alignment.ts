/**
 * Distribution alignment (ReMixMatch; USB's DistAlignEMAHook with the labelled class prior as target): a
 * running mean p̄ of the weak views' probabilities (momentum 0.999, set to the first step's batch mean), and
 *   q̃ = Normalise(q · (prior + ε) / (p̄ + ε)),  ε = 1e-6,
 * applied to the weak probabilities before any threshold, so a model that over-predicts some classes early
 * does not pseudo-label everything as them. The ratios a step uses are those before it; p̄ learns from the
 * un-aligned probabilities after it (USB updates first, a difference of 0.1% of one batch).
 */
export const ALIGNMENT_MOMENTUM = 0.999;
const EPSILON = 1e-6;

export interface DistributionAlignmentState {
  prior: number[];
  /** null until the first step. */
  runningMean: number[] | null;
}

export class DistributionAlignment {
  private runningMean: number[] | null = null;
  readonly prior: readonly number[];

  constructor(prior: readonly number[]) {
    if (prior.length < 1) throw new Error('Distribution alignment needs a prior over at least one class');
    if (prior.some((p) => !(p >= 0 && p <= 1))) throw new Error(`Distribution alignment: the class prior ${JSON.stringify(prior)} has a value outside [0, 1]`);
    this.prior = [...prior];
  }

  /** The labelled clips' share of each class (`classIndex` per labelled clip, `classes` in all). */
  static fromLabels(classIndices: readonly number[], classes: number): DistributionAlignment {
    if (classIndices.length === 0) throw new Error('Distribution alignment needs labelled clips to take the class prior from');
    const counts = new Array<number>(classes).fill(0);
    for (const c of classIndices) counts[c] = (counts[c] ?? 0) + 1;
    return new DistributionAlignment(counts.map((n) => n / classIndices.length));
  }

  /** (prior + ε) / (p̄ + ε) per class; all 1 before the first step. */
  ratios(): number[] {
    const mean = this.runningMean;
    return this.prior.map((p, c) => (mean === null ? 1 : (p + EPSILON) / ((mean[c] ?? 0) + EPSILON)));
  }

  /** Moves p̄ towards the mean of one step's un-aligned weak probabilities (row-major [rows, C]). */
  update(probs: Float32Array): void {
    const c = this.prior.length;
    if (probs.length % c !== 0) throw new Error(`Distribution alignment: ${probs.length} probabilities are not rows of ${c} classes`);
    const rows = probs.length / c;
    if (rows === 0) return;
    const batchMean = new Array<number>(c).fill(0);
    for (let i = 0; i < probs.length; i++) batchMean[i % c] = (batchMean[i % c] ?? 0) + (probs[i] ?? 0) / rows;
    const previous = this.runningMean;
    this.runningMean = previous === null ? batchMean : batchMean.map((m, k) => ALIGNMENT_MOMENTUM * (previous[k] ?? 0) + (1 - ALIGNMENT_MOMENTUM) * m);
  }

  toJSON(): DistributionAlignmentState {
    return { prior: [...this.prior], runningMean: this.runningMean === null ? null : [...this.runningMean] };
  }

  static fromJSON(state: DistributionAlignmentState): DistributionAlignment {
    const alignment = new DistributionAlignment(state.prior);
    if (state.runningMean !== null && state.runningMean.length !== state.prior.length) {
      throw new Error(`Distribution alignment state: ${state.runningMean.length} running means for ${state.prior.length} classes`);
    }
    alignment.runningMean = state.runningMean === null ? null : [...state.runningMean];
    return alignment;
  }
}

/** q · ratio per class, each row renormalised to sum 1 (row-major [rows, C]); the host's copy of what the step did in the graph. */
export function alignProbabilities(probs: Float32Array, ratios: readonly number[]): Float32Array {
  const c = ratios.length;
  const out = new Float32Array(probs.length);
  for (let row = 0; row * c < probs.length; row++) {
    let sum = 0;
    for (let k = 0; k < c; k++) sum += (out[row * c + k] = (probs[row * c + k] ?? 0) * (ratios[k] ?? 1));
    for (let k = 0; k < c; k++) out[row * c + k] = sum > 0 ? (out[row * c + k] ?? 0) / sum : 1 / c;
  }
  return out;
}
