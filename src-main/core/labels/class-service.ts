import type { Database } from 'better-sqlite3';
import type { ClassDto } from '../../shared/dto.js';
import { ApiError } from '../../shared/errors.js';
import { CLASS_HOTKEY_ORDER, RESERVED_LABEL_KEYS } from '../../shared/keymap.js';
import { nowIso } from '../clock.js';
import type { ChangeJournal, Recorder } from './change-journal.js';
import { CLASS_PALETTE } from './label-palette.js';

interface ClassRow {
  id: number;
  name: string;
  color: string;
  hotkey: string | null;
  position: number;
  archived: number;
  created_at: string;
  label_count: number;
}

const SELECT_CLASSES = `
  SELECT c.*, (SELECT COUNT(*) FROM labels l WHERE l.class_id = c.id) AS label_count
  FROM classes c`;

function toDto(row: ClassRow): ClassDto {
  return {
    id: row.id,
    name: row.name,
    color: row.color,
    hotkey: row.hotkey,
    position: row.position,
    archived: row.archived === 1,
    labelCount: row.label_count,
  };
}

export interface ClassChanges {
  name?: string;
  color?: string;
  hotkey?: string | null;
}

/** The action classes of a project: names, colours, hotkeys, order; every change journalled. */
export class ClassService {
  constructor(
    private readonly db: Database,
    private readonly journal: ChangeJournal,
  ) {}

  list(includeArchived = true): ClassDto[] {
    const where = includeArchived ? '' : 'WHERE c.archived = 0';
    return (this.db.prepare(`${SELECT_CLASSES} ${where} ORDER BY c.position, c.id`).all() as ClassRow[]).map(toDto);
  }

  get(id: number): ClassDto {
    const row = this.db.prepare(`${SELECT_CLASSES} WHERE c.id = ?`).get(id) as ClassRow | undefined;
    if (!row) throw new ApiError('NOT_FOUND', `There is no class ${id}.`);
    return toDto(row);
  }

  byName(name: string): ClassDto | null {
    const row = this.db.prepare(`${SELECT_CLASSES} WHERE c.name = ? COLLATE NOCASE`).get(name) as ClassRow | undefined;
    return row ? toDto(row) : null;
  }

  create(name: string, color?: string, hotkey?: string | null): ClassDto {
    const trimmed = name.trim();
    this.assertNameFree(trimmed, null);
    const key = hotkey === undefined ? this.nextFreeHotkey() : hotkey;
    if (key !== null) this.assertHotkeyFree(key, null);
    const { n } = this.db.prepare('SELECT COUNT(*) AS n FROM classes').get() as { n: number };
    const id = this.journal.record('class:create', `Create class “${trimmed}”`, (rec) =>
      rec.insert('classes', {
        name: trimmed,
        color: color ?? CLASS_PALETTE[n % CLASS_PALETTE.length],
        hotkey: key,
        position: this.nextPosition(),
        archived: 0,
        created_at: nowIso(),
      }),
    );
    return this.get(id);
  }

  update(id: number, changes: ClassChanges): ClassDto {
    const current = this.get(id);
    const values: Record<string, unknown> = {};
    if (changes.name !== undefined && changes.name.trim() !== current.name) {
      this.assertNameFree(changes.name.trim(), id);
      values.name = changes.name.trim();
    }
    if (changes.color !== undefined) values.color = changes.color.toLowerCase();
    if (changes.hotkey !== undefined && changes.hotkey !== current.hotkey) {
      if (changes.hotkey !== null) this.assertHotkeyFree(changes.hotkey, id);
      values.hotkey = changes.hotkey;
    }
    if (Object.keys(values).length > 0) {
      this.journal.record('class:update', `Edit class “${current.name}”`, (rec) => rec.update('classes', id, values));
    }
    return this.get(id);
  }

  reorder(ids: readonly number[]): ClassDto[] {
    const all = this.list();
    const known = new Set(all.map((c) => c.id));
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new ApiError('NOT_FOUND', `There is no class ${unknown.join(', ')}.`);
    // Classes not named keep their relative order after the named ones.
    const order = [...new Set(ids), ...all.map((c) => c.id).filter((id) => !ids.includes(id))];
    this.journal.record('class:reorder', 'Reorder classes', (rec) => {
      order.forEach((id, position) => {
        if (all.find((c) => c.id === id)?.position !== position) rec.update('classes', id, { position });
      });
    });
    return this.list();
  }

  archive(id: number, archived: boolean): ClassDto {
    const current = this.get(id);
    if (current.archived !== archived) {
      const verb = archived ? 'Archive' : 'Restore';
      this.journal.record('class:archive', `${verb} class “${current.name}”`, (rec) =>
        rec.update('classes', id, { archived: archived ? 1 : 0 }),
      );
    }
    return this.get(id);
  }

  /** Every clip labelled `sourceId` ends up labelled `targetId`; no label is lost. */
  merge(sourceId: number, targetId: number): ClassDto {
    if (sourceId === targetId) throw new ApiError('INVALID_PARAMS', 'A class cannot be merged into itself.');
    const source = this.get(sourceId);
    const target = this.get(targetId);
    this.journal.record('class:merge', `Merge “${source.name}” into “${target.name}”`, (rec) => {
      moveToClass(this.db, rec, 'labels', sourceId, targetId);
      // "Not source" becomes "not target"; a clip already ruled out of the target keeps its one row.
      moveToClass(this.db, rec, 'negative_labels', sourceId, targetId);
      rec.delete('classes', sourceId);
    });
    return this.get(targetId);
  }

  delete(id: number, confirmLabels: number | undefined): number {
    const current = this.get(id);
    if (current.labelCount > 0 && confirmLabels !== current.labelCount) {
      throw new ApiError(
        'CONFLICT',
        `Deleting “${current.name}” removes its ${current.labelCount} label${current.labelCount === 1 ? '' : 's'}; ` +
          `confirm with that count (or merge the class into another to keep them).`,
      );
    }
    this.journal.record('class:delete', `Delete class “${current.name}”`, (rec) => {
      const labels = this.db.prepare('SELECT id FROM labels WHERE class_id = ?').all(id) as { id: number }[];
      for (const label of labels) rec.delete('labels', label.id);
      const negatives = this.db.prepare('SELECT id FROM negative_labels WHERE class_id = ?').all(id) as { id: number }[];
      for (const negative of negatives) rec.delete('negative_labels', negative.id);
      rec.delete('classes', id);
    });
    return current.labelCount;
  }

  private nextPosition(): number {
    const { max } = this.db.prepare('SELECT MAX(position) AS max FROM classes').get() as { max: number | null };
    return (max ?? -1) + 1;
  }

  private nextFreeHotkey(): string | null {
    const taken = new Set(
      (this.db.prepare('SELECT hotkey FROM classes WHERE hotkey IS NOT NULL').all() as { hotkey: string }[]).map(
        (r) => r.hotkey,
      ),
    );
    return CLASS_HOTKEY_ORDER.find((key) => !taken.has(key)) ?? null;
  }

  private assertNameFree(name: string, exceptId: number | null): void {
    const existing = this.byName(name);
    if (existing && existing.id !== exceptId) {
      throw new ApiError('CONFLICT', `There is already a class called “${existing.name}”.`);
    }
  }

  private assertHotkeyFree(key: string, exceptId: number | null): void {
    if (RESERVED_LABEL_KEYS.has(key)) {
      throw new ApiError('CONFLICT', `The key “${key}” is taken by a labelling action; choose another.`);
    }
    const row = this.db.prepare('SELECT id, name FROM classes WHERE hotkey = ?').get(key) as
      | { id: number; name: string }
      | undefined;
    if (row && row.id !== exceptId) {
      throw new ApiError('CONFLICT', `The key “${key}” already labels “${row.name}”.`);
    }
  }
}

/** Rows of `sourceId` move to `targetId`; where the clip already has a `targetId` row, the source row goes. */
function moveToClass(db: Database, rec: Recorder, table: 'labels' | 'negative_labels', sourceId: number, targetId: number): void {
  const rows = db
    .prepare(
      `SELECT r.id, EXISTS (SELECT 1 FROM ${table} t WHERE t.clip_id = r.clip_id AND t.class_id = ?) AS has_target
       FROM ${table} r WHERE r.class_id = ?`,
    )
    .all(targetId, sourceId) as { id: number; has_target: number }[];
  for (const row of rows) {
    if (row.has_target) rec.delete(table, row.id);
    else rec.update(table, row.id, { class_id: targetId });
  }
}
