import type { ClassDto } from '../../src-main/shared/dto.js';
import { api } from '../lib/api.js';
import { toasts } from './toasts.svelte.js';

export interface ClassEdit {
  name?: string;
  color?: string;
  hotkey?: string | null;
}

/** The project's classes in their order, archived ones included, kept current by 'classes:changed'. */
class ClassesState {
  all = $state.raw<ClassDto[]>([]);
  loaded = $state(false);

  active = $derived(this.all.filter((c) => !c.archived));
  archived = $derived(this.all.filter((c) => c.archived));
  byId = $derived(new Map(this.all.map((c) => [c.id, c])));
  /** Hotkey → class; archived classes take no new labels, so their keys do nothing. */
  byHotkey = $derived(new Map(this.active.filter((c) => c.hotkey !== null).map((c) => [c.hotkey as string, c])));

  private loading: Promise<void> | null = null;
  private again = false;

  connect(): () => void {
    const offs = [api.on('classes:changed', () => this.refresh()), api.onResync(() => this.refresh())];
    return () => offs.forEach((off) => off());
  }

  clear(): void {
    this.all = [];
    this.loaded = false;
  }

  refresh(): void {
    if (this.loading) {
      this.again = true;
      return;
    }
    this.loading = this.fetchLoop().finally(() => (this.loading = null));
  }

  private async fetchLoop(): Promise<void> {
    do {
      this.again = false;
      try {
        this.all = await api.invoke('classes:list', { includeArchived: true });
        this.loaded = true;
      } catch (err) {
        toasts.error('Could not load the classes', err);
        return;
      }
    } while (this.again);
  }

  async create(name: string, hotkey?: string | null): Promise<ClassDto | null> {
    return this.change(`Could not create the class “${name}”`, () =>
      api.invoke('classes:create', hotkey === undefined ? { name } : { name, hotkey }),
    );
  }

  async update(id: number, edit: ClassEdit): Promise<ClassDto | null> {
    return this.change('Could not change the class', () => api.invoke('classes:update', { id, ...edit }));
  }

  /** Moves a class one place up (-1) or down (+1) among the classes shown with it (active or archived). */
  async move(id: number, by: -1 | 1): Promise<boolean> {
    const ids = this.all.map((c) => c.id);
    const from = ids.indexOf(id);
    const archived = this.all[from]?.archived;
    let to = from + by;
    while (to >= 0 && to < ids.length && this.all[to]?.archived !== archived) to += by;
    if (from < 0 || to < 0 || to >= ids.length) return false;
    [ids[from], ids[to]] = [ids[to] as number, ids[from] as number];
    const list = await this.change('Could not reorder the classes', () => api.invoke('classes:reorder', { ids }));
    if (list) this.all = list;
    return list !== null;
  }

  async archive(id: number, archived: boolean): Promise<ClassDto | null> {
    return this.change(archived ? 'Could not archive the class' : 'Could not restore the class', () =>
      api.invoke('classes:archive', { id, archived }),
    );
  }

  async merge(sourceId: number, targetId: number): Promise<ClassDto | null> {
    return this.change('Could not merge the classes', () => api.invoke('classes:merge', { sourceId, targetId }));
  }

  async remove(id: number, confirmLabels: number): Promise<{ removedLabels: number } | null> {
    return this.change('Could not delete the class', () => api.invoke('classes:delete', { id, confirmLabels }));
  }

  /** Runs one change; on failure says why and refetches, so the list shows what the project holds. */
  private async change<T>(failure: string, call: () => Promise<T>): Promise<T | null> {
    try {
      const result = await call();
      this.refresh();
      return result;
    } catch (err) {
      toasts.error(failure, err);
      this.refresh();
      return null;
    }
  }
}

export const classes = new ClassesState();
