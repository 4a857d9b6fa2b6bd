import { describe, expect, it } from 'vitest';
import type { RunEvaluationDto } from '../../src-main/shared/run-evaluation.js';
import { cellText, f1Comparison, formatScore, rowShares } from '../../src-renderer/features/evaluation/evaluation-view.js';

function evaluation(runId: number, scores: [string, number | null][], macro: number | null): RunEvaluationDto {
  const perClass = scores.map(([name, f1], i) => ({ classId: i + 1, name, f1, precision: f1, recall: f1, support: 1, predicted: 1 }));
  return {
    runId,
    computed: true,
    classes: perClass.map((c) => ({ id: c.classId, name: c.name })),
    evaluatedAt: '2026-12-07T00:00:00Z',
    matrix: scores.map(() => scores.map(() => 0)),
    perClass,
    macro: { precision: macro, recall: macro, f1: macro },
    weighted: { precision: macro, recall: macro, f1: macro },
    accuracy: macro,
    total: scores.length,
  };
}

describe('the per-class evaluation panel', () => {
  it('shows undefined scores as a dash, not 0 or NaN', () => {
    expect(formatScore(null)).toBe('—');
    expect(formatScore(5 / 6)).toBe('0.833');
    expect(formatScore(0)).toBe('0.000');
  });

  it('normalises each row by its true class (a class with no clip shows a dash)', () => {
    const shares = rowShares([
      [3, 1],
      [0, 0],
    ]);
    expect(shares).toEqual([
      [0.75, 0.25],
      [null, null],
    ]);
    expect(cellText(3, 0.75, false)).toBe('3');
    expect(cellText(3, 0.75, true)).toBe('75 %');
    expect(cellText(0, null, true)).toBe('—');
  });

  it('lines up F1 per class name across runs, saying why a run has none', () => {
    const table = f1Comparison([
      { runId: 3, label: '#3 fixmatch', evaluation: evaluation(3, [['walk', 0.5], ['run', null]], 0.5) },
      { runId: 2, label: '#2 supervised', evaluation: evaluation(2, [['walk', 0.25], ['jump', 1]], 0.625) },
      { runId: 1, label: '#1 supervised', evaluation: { runId: 1, computed: false, reason: 'Not computed for runs trained before this version.' } },
    ]);
    expect(table.classes).toEqual(['walk', 'run', 'jump']);
    expect(table.rows).toEqual([
      { runId: 3, label: '#3 fixmatch', missing: null, macro: 0.5, f1: [0.5, null, undefined] },
      { runId: 2, label: '#2 supervised', missing: null, macro: 0.625, f1: [0.25, undefined, 1] },
      { runId: 1, label: '#1 supervised', missing: 'Not computed for runs trained before this version.', macro: null, f1: [undefined, undefined, undefined] },
    ]);
  });
});
