import type { Database } from 'better-sqlite3';
import type { JobDto, JobKind, JobResult, JobState } from '../../shared/dto.js';
import { nowIso } from '../clock.js';

interface JobRow {
  id: number;
  kind: JobKind;
  title: string;
  state: JobState;
  progress: number | null;
  message: string;
  error: string | null;
  result_json: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export const FINISHED_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];

export function isFinished(state: JobState): boolean {
  return FINISHED_STATES.includes(state);
}

function toDto(row: JobRow): JobDto {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    state: row.state,
    progress: row.progress,
    etaSeconds: null,
    message: row.message,
    error: row.error,
    result: row.result_json ? (JSON.parse(row.result_json) as JobResult) : null,
    cancellable: !isFinished(row.state),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

export interface JobUpdate {
  state?: JobState;
  progress?: number | null;
  message?: string;
  error?: string | null;
  result?: JobResult | null;
}

/** Persists jobs so their outcome survives the app, and a crash shows as "interrupted". */
export class JobRepository {
  constructor(private readonly db: Database) {}

  create(kind: JobKind, title: string): JobDto {
    const now = nowIso();
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO jobs (kind, title, state, progress, message, created_at, updated_at)
         VALUES (?, ?, 'queued', NULL, 'Waiting to start', ?, ?)`,
      )
      .run(kind, title, now, now);
    return this.get(Number(lastInsertRowid))!;
  }

  get(id: number): JobDto | null {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row ? toDto(row) : null;
  }

  list(): JobDto[] {
    const rows = this.db.prepare('SELECT * FROM jobs ORDER BY id DESC LIMIT 200').all() as JobRow[];
    return rows.map(toDto);
  }

  update(id: number, update: JobUpdate): JobDto {
    const now = nowIso();
    const current = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow;
    const state = update.state ?? current.state;
    this.db
      .prepare(
        `UPDATE jobs SET state = ?, progress = ?, message = ?, error = ?, result_json = ?,
           updated_at = ?, finished_at = ? WHERE id = ?`,
      )
      .run(
        state,
        update.progress === undefined ? current.progress : update.progress,
        update.message ?? current.message,
        update.error === undefined ? current.error : update.error,
        update.result === undefined ? current.result_json : update.result ? JSON.stringify(update.result) : null,
        now,
        isFinished(state) ? (current.finished_at ?? now) : null,
        id,
      );
    return this.get(id)!;
  }

  /** Jobs left queued or running by a process that died are marked interrupted, never "running forever". */
  markInterrupted(): number {
    const now = nowIso();
    return this.db
      .prepare(
        `UPDATE jobs SET state = 'interrupted', error = 'The app stopped while this job was running.',
           message = 'Interrupted', updated_at = ?, finished_at = ?
         WHERE state IN ('queued', 'running')`,
      )
      .run(now, now).changes;
  }

  removeFinished(): number[] {
    const rows = this.db
      .prepare(`SELECT id FROM jobs WHERE state IN ('succeeded', 'failed', 'cancelled', 'interrupted')`)
      .all() as { id: number }[];
    this.db.prepare(`DELETE FROM jobs WHERE state IN ('succeeded', 'failed', 'cancelled', 'interrupted')`).run();
    return rows.map((r) => r.id);
  }
}
