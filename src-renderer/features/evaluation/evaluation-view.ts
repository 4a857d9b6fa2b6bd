/** What the per-class evaluation panels show: row shares, scores as text, and F1 of several runs side by side. */
import type { RunEvaluationDto } from '../../../src-main/shared/run-evaluation.js';

/** A score with 3 decimals; "—" where it is undefined (no validation clip of the class, or none predicted as it). */
export function formatScore(value: number | null): string {
  return value === null ? '—' : value.toFixed(3);
}

/** Each row divided by its true class's count (recall along the diagonal); null for a class with no clip. */
export function rowShares(matrix: readonly (readonly number[])[]): (number | null)[][] {
  return matrix.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((count) => (total === 0 ? null : count / total));
  });
}

/** A cell as shown: its count, or its share of the row as a whole percentage. */
export function cellText(count: number, share: number | null, normalised: boolean): string {
  if (!normalised) return String(count);
  return share === null ? '—' : `${Math.round(share * 100)} %`;
}

/** 0..1 for the cell's background: the share of its row, so a class's mistakes stand out whatever its size. */
export function cellShade(share: number | null): number {
  return share === null ? 0 : share;
}

export interface ComparedRun {
  runId: number;
  label: string;
  evaluation: RunEvaluationDto | undefined;
}

export interface F1Row {
  runId: number;
  label: string;
  /** Why the run has no scores (not computed, no validation clips); null when it has them. */
  missing: string | null;
  macro: number | null;
  /** By class name, in `classes` order; undefined: the run did not have that class. */
  f1: (number | null | undefined)[];
}

/** F1 per class of several runs: one row per run, one column per class name any of them has. */
export function f1Comparison(compared: readonly ComparedRun[]): { classes: string[]; rows: F1Row[] } {
  const classes: string[] = [];
  for (const { evaluation } of compared) {
    if (evaluation?.computed) for (const c of evaluation.classes) if (!classes.includes(c.name)) classes.push(c.name);
  }
  const rows = compared.map(({ runId, label, evaluation }): F1Row => {
    if (!evaluation) return { runId, label, missing: 'Loading…', macro: null, f1: classes.map(() => undefined) };
    if (!evaluation.computed) return { runId, label, missing: evaluation.reason, macro: null, f1: classes.map(() => undefined) };
    if (evaluation.total === 0) return { runId, label, missing: 'No validation clips.', macro: null, f1: classes.map(() => undefined) };
    const byName = new Map(evaluation.perClass.map((c) => [c.name, c.f1]));
    return { runId, label, missing: null, macro: evaluation.macro.f1, f1: classes.map((name) => (byName.has(name) ? (byName.get(name) ?? null) : undefined)) };
  });
  return { classes, rows };
}
