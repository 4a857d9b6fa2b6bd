/**
 * What the run tables (runs, anomaly_runs) share: a run's state, its job and backend, and its
 * times. Each repository updates these the same way and adds its own columns.
 */
import type { Database } from 'better-sqlite3';
import type { RunStatus } from '../../../shared/run-dto.js';

export interface RunStateUpdate {
  status?: RunStatus;
  error?: string | null;
  jobId?: number | null;
  backend?: string;
  backendReason?: string;
  hasModel?: boolean;
  startedAt?: string;
  finishedAt?: string | null;
}

/** A column and the value to write into it. */
export type ColumnValue = readonly [column: string, value: unknown];

/** The columns an update names (a field left undefined leaves its column as it is). */
export function runStateColumns(update: RunStateUpdate): ColumnValue[] {
  const columns: [string, unknown][] = [
    ['status', update.status],
    ['error', update.error],
    ['job_id', update.jobId],
    ['backend', update.backend],
    ['backend_reason', update.backendReason],
    ['has_model', update.hasModel === undefined ? undefined : update.hasModel ? 1 : 0],
    ['started_at', update.startedAt],
    ['finished_at', update.finishedAt],
  ];
  return columns.filter(([, value]) => value !== undefined);
}

/** Writes the columns into the row `id` of `table`; nothing when there are none. */
export function updateColumns(db: Database, table: string, id: number, columns: readonly ColumnValue[]): void {
  if (columns.length === 0) return;
  const sets = columns.map(([column]) => `${column} = ?`).join(', ');
  db.prepare(`UPDATE ${table} SET ${sets} WHERE id = ?`).run(...columns.map(([, value]) => value), id);
}

/**
 * A stopped run can carry on: every finished epoch writes a checkpoint before it is recorded, so
 * epochs done > 0 means one exists.
 */
export function isResumable(status: RunStatus, epochsDone: number, epochs: number): boolean {
  const unfinished = status === 'cancelled' || status === 'failed' || status === 'interrupted';
  return unfinished && epochsDone > 0 && epochsDone < epochs;
}

/** The state columns as a run table's row has them. */
export interface RunStateRow {
  status: RunStatus;
  error: string | null;
  job_id: number | null;
  backend: string | null;
  backend_reason: string | null;
  epochs_done: number;
}

/** The DTO fields a run's state columns make (both run DTOs carry them, in this order). */
export function runStateFields(row: RunStateRow) {
  return {
    status: row.status,
    error: row.error,
    jobId: row.job_id,
    backend: row.backend,
    backendReason: row.backend_reason,
    epochsDone: row.epochs_done,
  };
}
