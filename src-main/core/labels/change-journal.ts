import type { Database } from 'better-sqlite3';
import type { HistoryEntryDto } from '../../shared/dto.js';
import { ApiError } from '../../shared/errors.js';
import { nowIso } from '../clock.js';

/** Tables whose every change is journalled (and so can be undone). */
export type JournalTable = 'videos' | 'classes' | 'clips' | 'labels' | 'negative_labels' | 'reviews' | 'anomaly_marks';

/** Rows that belong to a clip and go (and come back) with it. */
const CLIP_CHILD_TABLES = ['labels', 'negative_labels', 'reviews'] as const satisfies readonly JournalTable[];

type Row = Record<string, unknown> & { id: number };

interface RowChange {
  table: JournalTable;
  id: number;
  before: Row | null;
  after: Row | null;
}

export type HistoryEntry = HistoryEntryDto;

/** Writes rows and remembers each one before and after, inside one journal entry. */
export interface Recorder {
  insert(table: JournalTable, values: Record<string, unknown>): number;
  update(table: JournalTable, id: number, values: Record<string, unknown>): void;
  delete(table: JournalTable, id: number): void;
}

interface HistoryRow {
  id: number;
  action: string;
  description: string;
  changes_json: string;
  author: string;
  created_at: string;
  undone: number;
}

/**
 * The history of every labelling change: who did what, when, with the rows before and after.
 * Undo restores the "before" rows of the newest entry; redo re-applies the "after" rows.
 * Because it is in the project database, undo and redo survive a restart.
 */
export class ChangeJournal {
  constructor(
    private readonly db: Database,
    private readonly author: string,
  ) {}

  /** Runs `apply` in one transaction and records what it changed as one undoable entry. */
  record<T>(action: string, description: string, apply: (rec: Recorder) => T): T {
    return this.db.transaction(() => {
      const changes: RowChange[] = [];
      const recorder = this.recorder(changes);
      const result = apply(recorder);
      if (changes.length > 0) {
        // A new change ends the redo branch, as in every editor.
        this.db.prepare('DELETE FROM history WHERE undone = 1').run();
        this.db
          .prepare(
            `INSERT INTO history (action, description, changes_json, author, created_at)
             VALUES (?, ?, ?, ?, ?)`,
          )
          .run(action, description, JSON.stringify(changes), this.author, nowIso());
      }
      return result;
    })();
  }

  undo(): HistoryEntry | null {
    const row = this.db.prepare('SELECT * FROM history WHERE undone = 0 ORDER BY id DESC LIMIT 1').get() as
      | HistoryRow
      | undefined;
    if (!row) return null;
    const changes = JSON.parse(row.changes_json) as RowChange[];
    this.replay(row, () => {
      for (const change of [...changes].reverse()) this.restore(change.table, change.id, change.before, change.after === null);
      this.db.prepare('UPDATE history SET undone = 1 WHERE id = ?').run(row.id);
    });
    return toEntry({ ...row, undone: 1 });
  }

  redo(): HistoryEntry | null {
    const row = this.db.prepare('SELECT * FROM history WHERE undone = 1 ORDER BY id ASC LIMIT 1').get() as
      | HistoryRow
      | undefined;
    if (!row) return null;
    const changes = JSON.parse(row.changes_json) as RowChange[];
    this.replay(row, () => {
      for (const change of changes) this.restore(change.table, change.id, change.after, change.before === null);
      this.db.prepare('UPDATE history SET undone = 0 WHERE id = ?').run(row.id);
    });
    return toEntry({ ...row, undone: 0 });
  }

  /** Forgets every entry: after a change the journal cannot follow (re-cutting all clips). */
  clear(): void {
    this.db.prepare('DELETE FROM history').run();
  }

  private replay(row: HistoryRow, apply: () => void): void {
    try {
      this.db.transaction(apply)();
    } catch (err) {
      if (err instanceof RowTaken || (err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
        // The rows it touched are gone for good (their video was removed), or their place is
        // taken (a removed video was imported again): drop the entry so undo can go on past it,
        // and say why.
        this.db.prepare('DELETE FROM history WHERE id = ?').run(row.id);
        throw new ApiError(
          'CONFLICT',
          `“${row.description}” cannot be undone or redone: what it changed was removed since, or ` +
            'taken again (a removed video imported anew).',
        );
      }
      throw err;
    }
  }

  list(limit: number): HistoryEntry[] {
    const rows = this.db.prepare('SELECT * FROM history ORDER BY id DESC LIMIT ?').all(limit) as HistoryRow[];
    return rows.map(toEntry);
  }

  /** Every recorded state of `table`'s rows, e.g. removed videos whose cache files undo still needs. */
  heldRows(table: JournalTable): Row[] {
    const rows = this.db.prepare('SELECT changes_json FROM history').all() as { changes_json: string }[];
    return rows.flatMap((row) =>
      (JSON.parse(row.changes_json) as RowChange[])
        .filter((change) => change.table === table)
        .flatMap((change) => [change.before, change.after].filter((r): r is Row => r !== null)),
    );
  }

  /** The newest entry that is not undone (what `history:undo` would undo next). */
  latestId(): number | null {
    const row = this.db.prepare('SELECT MAX(id) AS id FROM history WHERE undone = 0').get() as { id: number | null };
    return row.id;
  }

  counts(): { undo: number; redo: number } {
    const row = this.db
      .prepare('SELECT SUM(undone = 0) AS undo, SUM(undone = 1) AS redo FROM history')
      .get() as { undo: number | null; redo: number | null };
    return { undo: row.undo ?? 0, redo: row.redo ?? 0 };
  }

  private recorder(changes: RowChange[]): Recorder {
    return {
      insert: (table, values) => {
        const columns = Object.keys(values);
        const { lastInsertRowid } = this.db
          .prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`)
          .run(values);
        const id = Number(lastInsertRowid);
        changes.push({ table, id, before: null, after: this.read(table, id) });
        return id;
      },
      update: (table, id, values) => {
        const before = this.read(table, id);
        if (!before) throw new ApiError('NOT_FOUND', `There is no ${singular(table)} ${id}.`);
        const sets = Object.keys(values).map((c) => `${c} = @${c}`);
        this.db.prepare(`UPDATE ${table} SET ${sets.join(', ')} WHERE id = @id`).run({ ...values, id });
        changes.push({ table, id, before, after: this.read(table, id) });
      },
      delete: (table, id) => {
        const before = this.read(table, id);
        if (!before) return;
        if (table === 'clips') {
          // Journal the clip's labels, negative labels and review decisions explicitly instead
          // of letting ON DELETE CASCADE drop them unseen: undo brings them back with the clip.
          for (const child of CLIP_CHILD_TABLES) {
            const rows = this.db.prepare(`SELECT id FROM ${child} WHERE clip_id = ?`).all(id) as { id: number }[];
            for (const row of rows) {
              changes.push({ table: child, id: row.id, before: this.read(child, row.id), after: null });
              this.db.prepare(`DELETE FROM ${child} WHERE id = ?`).run(row.id);
            }
          }
        }
        this.db.prepare(`DELETE FROM ${table} WHERE id = ?`).run(id);
        changes.push({ table, id, before, after: null });
      },
    };
  }

  private read(table: JournalTable, id: number): Row | null {
    return (this.db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as Row | undefined) ?? null;
  }

  /**
   * Puts a row back to a recorded state: absent (null) or exactly these column values. `wasAbsent`:
   * the entry deleted (or created) this row, so another row in its place is a newer one that
   * reused the id (a removed video imported again), which must not be overwritten.
   */
  private restore(table: JournalTable, id: number, row: Row | null, wasAbsent: boolean): void {
    if (row === null) {
      this.db.prepare(`DELETE FROM ${table} WHERE id = ?`).run(id);
      return;
    }
    const columns = Object.keys(row);
    const present = this.read(table, id) !== null;
    if (present && wasAbsent) throw new RowTaken();
    if (present) {
      const sets = columns.filter((c) => c !== 'id').map((c) => `${c} = @${c}`);
      this.db.prepare(`UPDATE ${table} SET ${sets.join(', ')} WHERE id = @id`).run(row);
    } else {
      this.db
        .prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`)
        .run(row);
    }
  }
}

/** Undo or redo would overwrite a row that is not the one the entry recorded. */
class RowTaken extends Error {}

function singular(table: JournalTable): string {
  if (table === 'classes') return 'class';
  if (table === 'negative_labels') return 'negative label';
  if (table === 'anomaly_marks') return 'anomaly mark';
  return table.slice(0, -1);
}

function toEntry(row: HistoryRow): HistoryEntry {
  const changes = JSON.parse(row.changes_json) as RowChange[];
  return {
    id: row.id,
    action: row.action,
    description: row.description,
    author: row.author,
    createdAt: row.created_at,
    undone: row.undone === 1,
    changes: changes.length,
    clips: clipsTouched(changes),
  };
}

function clipsTouched(changes: readonly RowChange[]): number {
  const ids = new Set<unknown>();
  for (const change of changes) {
    if (change.table === 'clips') ids.add(change.id);
    else if ((CLIP_CHILD_TABLES as readonly JournalTable[]).includes(change.table)) {
      ids.add((change.before ?? change.after)?.clip_id);
    }
  }
  ids.delete(undefined);
  return ids.size;
}
