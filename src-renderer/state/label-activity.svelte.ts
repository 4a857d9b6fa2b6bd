/**
 * Recent changes made from the Label view, newest first, each shown as saving, saved or failed.
 * "Saved" is set only once the core answered, so what this list shows as saved is in the project.
 */
export type ActivityState = 'saving' | 'saved' | 'failed';

export interface ActivityEntry {
  id: number;
  /** label: a clip's class was set or removed; edit: a clip was drawn, moved, split, merged, deleted; history: undo/redo. */
  kind: 'label' | 'edit' | 'history';
  state: ActivityState;
  videoId: number | null;
  clipId: number | null;
  /** For label entries: the class the clip carries after the change (null: no label). */
  classId: number | null;
  text: string;
  /** performance.now() when the person asked for it (keydown or click). */
  askedAt: number;
  /** performance.now() when it was shown as saved or failed. */
  settledAt: number | null;
}

const KEEP = 300;

class LabelActivity {
  entries = $state<ActivityEntry[]>([]);
  private nextId = 1;

  add(entry: Omit<ActivityEntry, 'id' | 'state' | 'settledAt'>): number {
    const id = this.nextId++;
    this.entries.unshift({ ...entry, id, state: 'saving', settledAt: null });
    if (this.entries.length > KEEP) this.entries.length = KEEP;
    return id;
  }

  settle(id: number, state: 'saved' | 'failed', changes: Partial<Pick<ActivityEntry, 'classId' | 'clipId' | 'text'>> = {}): void {
    const entry = this.entries.find((candidate) => candidate.id === id);
    if (!entry) return;
    Object.assign(entry, changes);
    entry.state = state;
    entry.settledAt = performance.now();
  }

  clear(): void {
    this.entries = [];
  }
}

export const labelActivity = new LabelActivity();
