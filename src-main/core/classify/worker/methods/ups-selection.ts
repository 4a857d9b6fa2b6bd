/**
 * UPS pseudo-label selection (Rizve et al. 2021) from MC-dropout statistics: the mean p̄ and standard deviation
 * s of the softmax over the dropout passes, both [N, C] row-major. Follows METHODS.md and, where it is more
 * precise, the official `pseudo_labeling`:
 * - positive: argmax class k of p̄ with p̄_k ≥ τp and s_k < κp. Ties in p̄ go to the lowest class index.
 * - class balance (early rounds): σ(c) = positives of class c, counting classes with none as 0; every class
 *   keeps at most cap = max(floor, min_c σ(c)) of its positives, those with the lowest s_k (ties: lower row
 *   index first). So while any class has no positive the cap is the floor (25).
 * - negative labels, for every row that is not a positive AFTER balancing (a positive dropped by the cap may
 *   get negative labels, as in the official code): class c with p̄_c < τn and s_c < κn, never the row's
 *   argmax class k.
 * Thresholds are compared in float32, the precision of the probabilities (as PyTorch does), so a p̄ of
 * exactly fround(0.7) passes τp = 0.7.
 */

/** METHODS.md, UPS: positive when max p̄ ≥ τp = 0.7 … */
export const UPS_TAU_P = 0.7;
/** … and s[argmax] < κp = 0.05. */
export const UPS_KAPPA_P = 0.05;
/** METHODS.md, UPS: negative label for class c when p̄_c < τn = 0.05 … */
export const UPS_TAU_N = 0.05;
/** … and s_c < κn = 0.005. */
export const UPS_KAPPA_N = 0.005;
/** METHODS.md, UPS: early rounds keep per class max(25, smallest class count) positives. */
export const UPS_BALANCE_FLOOR = 25;
/**
 * Not in METHODS.md; from the official code (`--temp-nl 2.0`): the statistics for negative labels come from
 * separate MC-dropout passes of softmax(logits / 2). Pass them as negativeMean / negativeStd to follow it.
 */
export const UPS_NEGATIVE_TEMPERATURE = 2;
/** Not in METHODS.md; from the official code (`--class-blnc 10`, balanced while round < 10 − 1). */
export const UPS_BALANCE_ROUNDS = 10;

/** Whether round `round` (0-based) balances classes, as the official code decides it. */
export function upsBalancesRound(round: number, balanceRounds: number = UPS_BALANCE_ROUNDS): boolean {
  return round < balanceRounds - 1;
}

export interface UpsSelectionInput {
  classes: number;
  /** p̄, [N, C] row-major. */
  mean: Float32Array;
  /** s, [N, C] row-major. */
  std: Float32Array;
  /** Statistics for the negative labels when they come from other passes (see UPS_NEGATIVE_TEMPERATURE); default mean / std. */
  negativeMean?: Float32Array;
  negativeStd?: Float32Array;
}

export interface UpsSelectionOptions {
  tauP?: number;
  kappaP?: number;
  tauN?: number;
  kappaN?: number;
  /** Cap the positives per class (early rounds); default false. */
  balance?: boolean;
  /** The cap's lower bound; default UPS_BALANCE_FLOOR. */
  balanceFloor?: number;
}

export interface UpsSelectionCounts {
  /** Positives kept (after balancing). */
  positives: number;
  /** Positives kept per class. */
  positivesPerClass: number[];
  /** Rows that passed τp and κp, before balancing. */
  passedThresholds: number;
  /** Rows that passed but were dropped by the cap. */
  droppedByBalance: number;
  /** The per-class cap, or null without balancing. */
  balanceCap: number | null;
  /** Rows with at least one negative label. */
  negativeRows: number;
  /** Negative labels over all rows. */
  negativeLabels: number;
}

export interface UpsSelection {
  /** Per row: its positive pseudo-label, or −1. */
  positiveLabels: Int32Array;
  /** [N, C] row-major, 1 where "the row is surely not class c"; all 0 on positive rows. */
  negativeMask: Uint8Array;
  /** Per row: s at p̄'s argmax, the uncertainty balancing ranks by. */
  argmaxStd: Float32Array;
  counts: UpsSelectionCounts;
}

function checkStatistics(name: string, values: Float32Array, expected: number): void {
  if (values.length !== expected) throw new Error(`UPS selection: ${name} has ${values.length} values, expected ${expected}`);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`UPS selection: ${name}[${bad}] is ${values[bad]}`);
}

function checkThreshold(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new Error(`UPS selection: ${name} must be a finite number ≥ 0, got ${value}`);
  return Math.fround(value);
}

function argmaxOfRow(values: Float32Array, row: number, classes: number): number {
  let best = 0;
  for (let c = 1; c < classes; c++) if ((values[row * classes + c] ?? 0) > (values[row * classes + best] ?? 0)) best = c;
  return best;
}

/** Drops, per class, the positives beyond the cap with the highest uncertainty; returns the cap. */
function balancePositives(labels: Int32Array, argmaxStd: Float32Array, classes: number, floor: number): number {
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  labels.forEach((label, row) => {
    if (label >= 0) byClass[label]?.push(row);
  });
  const cap = Math.max(floor, Math.min(...byClass.map((rows) => rows.length)));
  for (const rows of byClass) {
    rows.sort((x, y) => (argmaxStd[x] ?? 0) - (argmaxStd[y] ?? 0) || x - y);
    for (const row of rows.slice(cap)) labels[row] = -1;
  }
  return cap;
}

export function selectUps(input: UpsSelectionInput, options: UpsSelectionOptions = {}): UpsSelection {
  const { classes, mean, std } = input;
  if (!Number.isInteger(classes) || classes < 1) throw new Error(`UPS selection: classes must be an integer ≥ 1, got ${classes}`);
  if (mean.length % classes !== 0) throw new Error(`UPS selection: mean has ${mean.length} values, not a multiple of ${classes} classes`);
  const rows = mean.length / classes;
  const negativeMean = input.negativeMean ?? mean;
  const negativeStd = input.negativeStd ?? std;
  checkStatistics('mean', mean, rows * classes);
  checkStatistics('std', std, rows * classes);
  checkStatistics('negativeMean', negativeMean, rows * classes);
  checkStatistics('negativeStd', negativeStd, rows * classes);
  const tauP = checkThreshold('τp', options.tauP ?? UPS_TAU_P);
  const kappaP = checkThreshold('κp', options.kappaP ?? UPS_KAPPA_P);
  const tauN = checkThreshold('τn', options.tauN ?? UPS_TAU_N);
  const kappaN = checkThreshold('κn', options.kappaN ?? UPS_KAPPA_N);
  const floor = options.balanceFloor ?? UPS_BALANCE_FLOOR;
  if (!Number.isInteger(floor) || floor < 0) throw new Error(`UPS selection: balanceFloor must be an integer ≥ 0, got ${floor}`);

  const labels = new Int32Array(rows).fill(-1);
  const argmax = new Int32Array(rows);
  const argmaxStd = new Float32Array(rows);
  for (let row = 0; row < rows; row++) {
    const k = argmaxOfRow(mean, row, classes);
    argmax[row] = k;
    argmaxStd[row] = std[row * classes + k] ?? 0;
    if ((mean[row * classes + k] ?? 0) >= tauP && (argmaxStd[row] ?? 0) < kappaP) labels[row] = k;
  }
  const passedThresholds = labels.reduce((n, label) => n + (label >= 0 ? 1 : 0), 0);
  const balanceCap = options.balance === true ? balancePositives(labels, argmaxStd, classes, floor) : null;

  const negativeMask = new Uint8Array(rows * classes);
  let negativeRows = 0;
  let negativeLabels = 0;
  for (let row = 0; row < rows; row++) {
    if ((labels[row] ?? -1) >= 0) continue;
    let marked = 0;
    for (let c = 0; c < classes; c++) {
      const i = row * classes + c;
      if (c !== argmax[row] && (negativeMean[i] ?? 1) < tauN && (negativeStd[i] ?? 1) < kappaN) {
        negativeMask[i] = 1;
        marked++;
      }
    }
    negativeLabels += marked;
    if (marked > 0) negativeRows++;
  }

  const positivesPerClass = new Array<number>(classes).fill(0);
  for (const label of labels) if (label >= 0) positivesPerClass[label] = (positivesPerClass[label] ?? 0) + 1;
  const positives = positivesPerClass.reduce((a, b) => a + b, 0);
  return {
    positiveLabels: labels,
    negativeMask,
    argmaxStd,
    counts: {
      positives,
      positivesPerClass,
      passedThresholds,
      droppedByBalance: passedThresholds - positives,
      balanceCap,
      negativeRows,
      negativeLabels,
    },
  };
}
