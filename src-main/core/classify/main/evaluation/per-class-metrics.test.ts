import { describe, expect, it } from 'vitest';
import { confusionMatrix, perClassMetrics } from './per-class-metrics.js';

const classes = ['walk', 'run', 'jump', 'sit'].map((name, i) => ({ id: 10 + i, name }));

// Rows: true class; columns: predicted. "jump" has no validation clip but one clip is predicted as it.
const matrix = [
  [5, 1, 0, 0],
  [2, 3, 1, 0],
  [0, 0, 0, 0],
  [0, 2, 0, 2],
];

describe('perClassMetrics', () => {
  it('gives precision, recall, F1 and support per class as computed by hand', () => {
    const m = perClassMetrics(classes, matrix);
    const [walk, run, jump, sit] = m.perClass;
    expect(walk).toMatchObject({ classId: 10, name: 'walk', support: 6, predicted: 7 });
    expect(walk?.precision).toBeCloseTo(5 / 7, 12);
    expect(walk?.recall).toBeCloseTo(5 / 6, 12);
    expect(walk?.f1).toBeCloseTo(10 / 13, 12);
    expect(run).toMatchObject({ support: 6, predicted: 6, precision: 0.5, recall: 0.5, f1: 0.5 });
    // No support: recall is undefined (null, not 0); one wrong prediction makes precision and F1 0.
    expect(jump).toMatchObject({ support: 0, predicted: 1, precision: 0, recall: null, f1: 0 });
    expect(sit).toMatchObject({ support: 4, predicted: 2, precision: 1, recall: 0.5 });
    expect(sit?.f1).toBeCloseTo(2 / 3, 12);
    expect(m.total).toBe(16);
    expect(m.accuracy).toBe(10 / 16);
  });

  it('averages over the classes where a score is defined: macro unweighted, weighted by support', () => {
    const m = perClassMetrics(classes, matrix);
    expect(m.macro.precision).toBeCloseTo((5 / 7 + 0.5 + 0 + 1) / 4, 12);
    expect(m.macro.recall).toBeCloseTo((5 / 6 + 0.5 + 0.5) / 3, 12); // jump's undefined recall is skipped
    expect(m.macro.f1).toBeCloseTo((10 / 13 + 0.5 + 0 + 2 / 3) / 4, 12);
    expect(m.weighted.precision).toBeCloseTo((6 * (5 / 7) + 6 * 0.5 + 4 * 1) / 16, 12);
    expect(m.weighted.recall).toBeCloseTo(10 / 16, 12); // weighted recall is accuracy, as in scikit-learn
    expect(m.weighted.f1).toBeCloseTo((6 * (10 / 13) + 6 * 0.5 + 4 * (2 / 3)) / 16, 12);
  });

  it('leaves precision undefined for a class never predicted, and F1 undefined for one neither true nor predicted', () => {
    const m = perClassMetrics(classes.slice(0, 3), [
      [2, 0, 0],
      [1, 0, 0],
      [0, 0, 0],
    ]);
    expect(m.perClass[0]).toMatchObject({ precision: 2 / 3, recall: 1, f1: 0.8 });
    expect(m.perClass[1]).toMatchObject({ support: 1, predicted: 0, precision: null, recall: 0, f1: 0 });
    expect(m.perClass[2]).toMatchObject({ support: 0, predicted: 0, precision: null, recall: null, f1: null });
    expect(m.macro).toEqual({ precision: 2 / 3, recall: 0.5, f1: 0.4 });
  });

  it('has no accuracy and no averages without validation clips', () => {
    const m = perClassMetrics(classes.slice(0, 2), confusionMatrix(2, []));
    expect(m.accuracy).toBeNull();
    expect(m.macro).toEqual({ precision: null, recall: null, f1: null });
    expect(m.weighted).toEqual({ precision: null, recall: null, f1: null });
  });

  it('rejects a matrix that does not fit the classes or holds a non-count', () => {
    expect(() => perClassMetrics(classes.slice(0, 2), [[1, 0]])).toThrow('1 rows for 2 classes');
    expect(() => perClassMetrics(classes.slice(0, 2), [[1, 0], [0]])).toThrow('Row 1 of the confusion matrix has 1 columns');
    expect(() => perClassMetrics(classes.slice(0, 2), [[1, -1], [0, 0]])).toThrow('Cell (0, 1) of the confusion matrix is -1');
  });
});

describe('confusionMatrix', () => {
  it('counts (true, predicted) pairs with rows as the true class', () => {
    const pairs = [
      { trueIndex: 0, predictedIndex: 0 },
      { trueIndex: 0, predictedIndex: 1 },
      { trueIndex: 1, predictedIndex: 1 },
      { trueIndex: 0, predictedIndex: 1 },
    ];
    expect(confusionMatrix(2, pairs)).toEqual([
      [1, 2],
      [0, 1],
    ]);
    expect(() => confusionMatrix(2, [{ trueIndex: 0, predictedIndex: 2 }])).toThrow('outside 0..1');
  });
});
