import type { HistoryEntryDto } from '../../src-main/shared/dto.js';
import { api } from '../lib/api.js';
import { errorMessage } from '../lib/format.js';

/** The events after which the project's history may have a new or undone entry. */
const HISTORY_EVENTS = ['labels:changed', 'classes:changed', 'videos:changed', 'anomaly:marks:changed'] as const;

/**
 * Undoes entries newest first until `entryId` is undone: history:undo one at a time, the only
 * undo the API has. Stops at the first refusal (e.g. a change whose rows were removed since).
 * Returns how many entries it undid.
 */
export async function undoTo(entryId: number): Promise<number> {
  const pending = (await api.invoke('history:list', { limit: 1000 })).filter((e) => !e.undone && e.id >= entryId);
  if (!pending.some((e) => e.id === entryId)) return 0;
  let undone = 0;
  for (let i = 0; i < pending.length; i++) {
    const { entry } = await api.invoke('history:undo', {});
    if (!entry) break;
    undone++;
    if (entry.id <= entryId) break;
  }
  return undone;
}

/** The project's undo history (history:list), kept current by the core's change events. */
export class HistoryList {
  entries = $state.raw<HistoryEntryDto[]>([]);
  error = $state<string | null>(null);

  connect(): () => void {
    const offs = HISTORY_EVENTS.map((name) => api.on(name, () => void this.refresh()));
    void this.refresh();
    return () => {
      for (const off of offs) off();
    };
  }

  async refresh(): Promise<void> {
    try {
      this.entries = await api.invoke('history:list', { limit: 200 });
      this.error = null;
    } catch (err) {
      this.error = errorMessage(err);
    }
  }
}
