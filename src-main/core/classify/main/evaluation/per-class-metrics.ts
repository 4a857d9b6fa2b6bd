/**
 * Per-class precision, recall and F1 from a confusion matrix (row = true class, column = predicted), as
 * scikit-learn's classification_report defines them:
 *   precision_c = TP / (TP + FP)   undefined when nothing was predicted as c
 *   recall_c    = TP / (TP + FN)   undefined when c has no support
 *   F1_c        = 2TP / (2TP + FP + FN)   undefined only when c was neither true nor predicted
 * Undefined values are null, never 0 or NaN, and averages skip them (sklearn's zero_division=nan):
 * a class missing from the validation split says "no support" instead of dragging the macro mean down.
 */
import type { ClassScores, ConfusionMetrics, Scores } from '../../../../shared/run-evaluation.js';
import type { RunClass } from '../../../../shared/run-dto.js';

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function checkMatrix(matrix: readonly (readonly number[])[], classes: number): void {
  if (matrix.length !== classes) throw new Error(`The confusion matrix has ${matrix.length} rows for ${classes} classes.`);
  matrix.forEach((row, i) => {
    if (row.length !== classes) throw new Error(`Row ${i} of the confusion matrix has ${row.length} columns for ${classes} classes.`);
    row.forEach((count, j) => {
      if (!Number.isInteger(count) || count < 0) throw new Error(`Cell (${i}, ${j}) of the confusion matrix is ${count}, not a count.`);
    });
  });
}

/** Mean of the defined values, each with its weight; null when none is defined (or all weights are 0). */
function mean(values: readonly (number | null)[], weights: readonly number[]): number | null {
  let sum = 0;
  let weight = 0;
  values.forEach((value, i) => {
    if (value === null) return;
    sum += value * (weights[i] ?? 0);
    weight += weights[i] ?? 0;
  });
  return weight === 0 ? null : sum / weight;
}

function average(perClass: readonly ClassScores[], weights: readonly number[]): Scores {
  return {
    precision: mean(perClass.map((c) => c.precision), weights),
    recall: mean(perClass.map((c) => c.recall), weights),
    f1: mean(perClass.map((c) => c.f1), weights),
  };
}

export function perClassMetrics(classes: readonly RunClass[], matrix: readonly (readonly number[])[]): ConfusionMetrics {
  checkMatrix(matrix, classes.length);
  const cell = (i: number, j: number): number => matrix[i]?.[j] ?? 0;
  const columnSum = (j: number): number => matrix.reduce((sum, row) => sum + (row[j] ?? 0), 0);
  const perClass = classes.map((cls, c): ClassScores => {
    const tp = cell(c, c);
    const support = (matrix[c] ?? []).reduce((a, b) => a + b, 0);
    const predicted = columnSum(c);
    const fp = predicted - tp;
    const fn = support - tp;
    return {
      classId: cls.id,
      name: cls.name,
      support,
      predicted,
      precision: ratio(tp, predicted),
      recall: ratio(tp, support),
      f1: ratio(2 * tp, 2 * tp + fp + fn),
    };
  });
  const total = perClass.reduce((sum, c) => sum + c.support, 0);
  const correct = classes.reduce((sum, _c, i) => sum + cell(i, i), 0);
  return {
    matrix: matrix.map((row) => [...row]),
    perClass,
    macro: average(perClass, perClass.map(() => 1)),
    weighted: average(perClass, perClass.map((c) => c.support)),
    accuracy: ratio(correct, total),
    total,
  };
}

/** The confusion matrix of (true, predicted) class-index pairs. */
export function confusionMatrix(classes: number, pairs: readonly { trueIndex: number; predictedIndex: number }[]): number[][] {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (const { trueIndex, predictedIndex } of pairs) {
    const row = matrix[trueIndex];
    if (row === undefined || predictedIndex < 0 || predictedIndex >= classes) {
      throw new Error(`A validation clip pairs class ${trueIndex} with ${predictedIndex}, outside 0..${classes - 1}.`);
    }
    row[predictedIndex] = (row[predictedIndex] ?? 0) + 1;
  }
  return matrix;
}
