import { describe, expect, it } from 'vitest';
import {
  UPS_BALANCE_FLOOR,
  UPS_KAPPA_N,
  UPS_KAPPA_P,
  UPS_TAU_N,
  UPS_TAU_P,
  selectUps,
  upsBalancesRound,
  type UpsSelection,
} from './ups-selection.js';

function flat(rows: number[][]): Float32Array {
  return Float32Array.from(rows.flat());
}

function maskRows(selection: UpsSelection, classes: number): number[][] {
  const rows = selection.positiveLabels.length;
  return Array.from({ length: rows }, (_, r) => Array.from(selection.negativeMask.slice(r * classes, (r + 1) * classes)));
}

describe('selectUps', () => {
  it('uses the METHODS.md defaults', () => {
    expect([UPS_TAU_P, UPS_KAPPA_P, UPS_TAU_N, UPS_KAPPA_N, UPS_BALANCE_FLOOR]).toEqual([0.7, 0.05, 0.05, 0.005, 25]);
  });

  it('selects positives and negative labels on fixed probabilities', () => {
    const mean = [
      [0.9, 0.06, 0.04], // 0: positive 0
      [0.7, 0.26, 0.04], // 1: positive 0 — p̄ = τp passes (≥)
      [0.8, 0.17, 0.03], // 2: s[argmax] = κp fails (<); class 2 is a negative
      [0.5, 0.46, 0.04], // 3: not confident; class 2 is a negative (s = 0.0049 < κn)
      [0.02, 0.96, 0.02], // 4: positive 1
      [0.04, 0.92, 0.04], // 5: too uncertain (0.06); classes 0 and 2 are negatives
      [0.34, 0.33, 0.33], // 6: nothing
      [0.05, 0.6, 0.35], // 7: p̄_0 = τn is not < τn; p̄_2 too large
      [0.01, 0.2, 0.79], // 8: would be positive 2 but s = 0.2; class 0 fails κn (s = 0.005, not <)
    ];
    const std = [
      [0.01, 0.01, 0.001],
      [0.049, 0.01, 0.004],
      [0.05, 0.002, 0.002],
      [0.01, 0.01, 0.0049],
      [0.003, 0.02, 0.006],
      [0.001, 0.06, 0.001],
      [0.001, 0.001, 0.001],
      [0.004, 0.1, 0.004],
      [0.005, 0.01, 0.2],
    ];
    const selection = selectUps({ classes: 3, mean: flat(mean), std: flat(std) });
    expect(Array.from(selection.positiveLabels)).toEqual([0, 0, -1, -1, 1, -1, -1, -1, -1]);
    expect(maskRows(selection, 3)).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 0],
      [1, 0, 1],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(Array.from(selection.argmaxStd)).toEqual(Array.from(Float32Array.from([0.01, 0.049, 0.05, 0.01, 0.02, 0.06, 0.001, 0.1, 0.2])));
    expect(selection.counts).toEqual({
      positives: 3,
      positivesPerClass: [2, 1, 0],
      passedThresholds: 3,
      droppedByBalance: 0,
      balanceCap: null,
      negativeRows: 3,
      negativeLabels: 4,
    });
  });

  it('never marks the argmax class as negative, and breaks argmax ties towards the lowest class', () => {
    // 25 classes at 0.04 each: every p̄_c < τn, but the argmax (class 0, first of the tie) stays unmarked.
    const classes = 25;
    const mean = new Float32Array(classes).fill(0.04);
    const std = new Float32Array(classes).fill(0.001);
    const selection = selectUps({ classes, mean, std });
    expect(selection.positiveLabels[0]).toBe(-1);
    expect(Array.from(selection.negativeMask)).toEqual([0, ...new Array<number>(24).fill(1)]);
    // A confident tie between classes 1 and 2 (threshold lowered to let it pass) picks class 1.
    const tie = selectUps({ classes: 3, mean: flat([[0, 0.5, 0.5]]), std: flat([[0, 0, 0]]) }, { tauP: 0.5 });
    expect(Array.from(tie.positiveLabels)).toEqual([1]);
  });

  it('reads negative labels from separate statistics when given', () => {
    const mean = flat([[0.5, 0.46, 0.04]]);
    const std = flat([[0.01, 0.01, 0.001]]);
    // With temperature 2 the small class looks less sure: no negative label from these passes.
    const selection = selectUps({ classes: 3, mean, std, negativeMean: flat([[0.4, 0.38, 0.22]]), negativeStd: std });
    expect(Array.from(selection.negativeMask)).toEqual([0, 0, 0]);
    expect(Array.from(selectUps({ classes: 3, mean, std }).negativeMask)).toEqual([0, 0, 1]);
  });

  it('handles a round with no positive at all', () => {
    const mean = flat([
      [0.4, 0.3, 0.3],
      [0.6, 0.38, 0.02],
    ]);
    const std = flat([
      [0.001, 0.001, 0.001],
      [0.001, 0.001, 0.001],
    ]);
    const selection = selectUps({ classes: 3, mean, std }, { balance: true });
    expect(Array.from(selection.positiveLabels)).toEqual([-1, -1]);
    expect(maskRows(selection, 3)).toEqual([
      [0, 0, 0],
      [0, 0, 1],
    ]);
    expect(selection.counts.positives).toBe(0);
    expect(selection.counts.balanceCap).toBe(UPS_BALANCE_FLOOR);
    const empty = selectUps({ classes: 4, mean: new Float32Array(0), std: new Float32Array(0) });
    expect(empty.positiveLabels).toHaveLength(0);
    expect(empty.counts.negativeRows).toBe(0);
  });
});

describe('selectUps class balance', () => {
  // Every row confident; s at the argmax sets its uncertainty. Row 6 also has a negative-eligible class 2.
  const rows: [label: number, argmaxStd: number][] = [
    [0, 0.03], // 0
    [0, 0.01], // 1
    [0, 0.02], // 2
    [1, 0.04], // 3
    [1, 0.01], // 4
    [2, 0.02], // 5
    [0, 0.04], // 6
    [2, 0.01], // 7
  ];
  function statistics(classes: number, list: [number, number][]): { mean: Float32Array; std: Float32Array } {
    const mean = new Float32Array(list.length * classes);
    const std = new Float32Array(list.length * classes);
    list.forEach(([label, s], r) => {
      for (let c = 0; c < classes; c++) {
        mean[r * classes + c] = c === label ? 0.9 : 0.03;
        std[r * classes + c] = c === label ? s : 0.001;
      }
    });
    return { mean, std };
  }

  it('keeps per class the max(floor, smallest count) least uncertain positives', () => {
    const { mean, std } = statistics(3, rows);
    // Counts 4 / 2 / 2, floor 1: cap 2. Class 0 keeps rows 1 and 2 (s 0.01, 0.02), drops rows 0 and 6.
    const balanced = selectUps({ classes: 3, mean, std }, { balance: true, balanceFloor: 1 });
    expect(Array.from(balanced.positiveLabels)).toEqual([-1, 0, 0, 1, 1, 2, -1, 2]);
    expect(balanced.counts).toMatchObject({ positives: 6, positivesPerClass: [2, 2, 2], passedThresholds: 8, droppedByBalance: 2, balanceCap: 2 });
    // The dropped rows are no longer positive, so they may carry negative labels (0.03 < τn on both others).
    expect(maskRows(balanced, 3)[0]).toEqual([0, 1, 1]);
    expect(maskRows(balanced, 3)[6]).toEqual([0, 1, 1]);
    expect(balanced.counts.negativeRows).toBe(2);
    // Without balancing everything passes.
    expect(Array.from(selectUps({ classes: 3, mean, std }).positiveLabels)).toEqual([0, 0, 0, 1, 1, 2, 0, 2]);
    // A floor above every count keeps everything.
    expect(selectUps({ classes: 3, mean, std }, { balance: true, balanceFloor: 5 }).counts.droppedByBalance).toBe(0);
  });

  it('counts a class with no positive as 0, so the cap falls to the floor', () => {
    const { mean, std } = statistics(4, rows);
    // Class 3 has no positive: smallest count 0, cap = floor = 1; each class keeps its least uncertain row.
    const balanced = selectUps({ classes: 4, mean, std }, { balance: true, balanceFloor: 1 });
    expect(Array.from(balanced.positiveLabels)).toEqual([-1, 0, -1, -1, 1, -1, -1, 2]);
    expect(balanced.counts.balanceCap).toBe(1);
  });

  it('breaks ties in uncertainty by row order', () => {
    const { mean, std } = statistics(2, [
      [0, 0.02],
      [0, 0.01],
      [0, 0.01],
      [1, 0.03],
    ]);
    const balanced = selectUps({ classes: 2, mean, std }, { balance: true, balanceFloor: 1 });
    expect(Array.from(balanced.positiveLabels)).toEqual([-1, 0, -1, 1]);
  });

  it('uses the floor of 25 by default', () => {
    const many: [number, number][] = [
      ...Array.from({ length: 30 }, (_, i): [number, number] => [0, 0.001 * (30 - i)]),
      ...Array.from({ length: 27 }, (_, i): [number, number] => [1, 0.001 * (i + 1)]),
    ];
    const two = statistics(2, many);
    const balancedTwo = selectUps({ classes: 2, ...two }, { balance: true });
    // Counts 30 / 27: cap 27; class 0 drops its 3 most uncertain rows (0, 1, 2).
    expect(balancedTwo.counts).toMatchObject({ balanceCap: 27, positivesPerClass: [27, 27], droppedByBalance: 3 });
    expect(Array.from(balancedTwo.positiveLabels.slice(0, 4))).toEqual([-1, -1, -1, 0]);
    const three = statistics(3, many);
    const balancedThree = selectUps({ classes: 3, ...three }, { balance: true });
    // Class 2 has none: cap 25.
    expect(balancedThree.counts).toMatchObject({ balanceCap: 25, positivesPerClass: [25, 25, 0], droppedByBalance: 7 });
  });

  it('balances only the early rounds, as the official code does', () => {
    expect([0, 8, 9, 19].map((round) => upsBalancesRound(round))).toEqual([true, true, false, false]);
  });
});

describe('selectUps input checks', () => {
  it('rejects statistics of the wrong size or with NaN, and bad settings', () => {
    const mean = flat([[0.9, 0.1]]);
    const std = flat([[0.01, 0.01]]);
    expect(() => selectUps({ classes: 3, mean, std })).toThrow(/mean has 2 values, not a multiple of 3 classes/);
    expect(() => selectUps({ classes: 2, mean, std: flat([[0.01]]) })).toThrow(/std has 1 values, expected 2/);
    expect(() => selectUps({ classes: 2, mean: flat([[NaN, 0.1]]), std })).toThrow(/mean\[0\] is NaN/);
    expect(() => selectUps({ classes: 0, mean, std })).toThrow(/classes must be an integer ≥ 1, got 0/);
    expect(() => selectUps({ classes: 2, mean, std }, { tauP: Number.NaN })).toThrow(/τp must be a finite number/);
    expect(() => selectUps({ classes: 2, mean, std }, { balance: true, balanceFloor: 2.5 })).toThrow(/balanceFloor must be an integer/);
  });
});
