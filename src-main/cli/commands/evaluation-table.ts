/** A run's per-class evaluation as text: the confusion matrix, then precision, recall, F1 and support per class. */
import type { RunEvaluationDto } from '../../shared/run-evaluation.js';
import { formatTable } from '../output.js';

/** A score as a fixed 3-decimal number; "—" where it is undefined (no support, nothing predicted). */
export function score(value: number | null): string {
  return value === null ? '—' : value.toFixed(3);
}

export function evaluationText(evaluation: RunEvaluationDto): string {
  if (!evaluation.computed) return `Per-class evaluation: ${evaluation.reason}`;
  if (evaluation.total === 0) return 'Per-class evaluation: the run had no validation clips (raise --validation, or label more clips per class).';
  const names = evaluation.classes.map((c) => c.name);
  const all = new Set(names.map((_n, i) => i + 1));
  const matrix = formatTable(
    ['true \\ predicted', ...names],
    evaluation.matrix.map((row, i) => [names[i] ?? '', ...row.map(String)]),
    all,
  );
  const perClass = formatTable(
    ['class', 'precision', 'recall', 'f1', 'support'],
    [
      ...evaluation.perClass.map((c) => [c.name, score(c.precision), score(c.recall), score(c.f1), String(c.support)]),
      ['macro avg', score(evaluation.macro.precision), score(evaluation.macro.recall), score(evaluation.macro.f1), String(evaluation.total)],
      ['weighted avg', score(evaluation.weighted.precision), score(evaluation.weighted.recall), score(evaluation.weighted.f1), String(evaluation.total)],
    ],
    new Set([1, 2, 3, 4]),
  );
  return [
    `Validation split, final model: ${evaluation.total} clips, accuracy ${score(evaluation.accuracy)}`,
    'Confusion matrix (rows: true class, columns: predicted):',
    matrix,
    '',
    perClass,
    '— : undefined (no clip of the class, or none predicted as it)',
  ].join('\n');
}
