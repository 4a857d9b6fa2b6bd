import type { EventBus } from '../events.js';

export const CHANGES_INTERVAL_MS = 250;

/**
 * Collects ids of changed videos and emits one `videos:changed` at most every 250 ms, so an
 * import of thousands of files updates the Library steadily without flooding it.
 */
export class VideoChanges {
  private readonly ids = new Set<number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly events: EventBus) {}

  add(id: number): void {
    this.ids.add(id);
    this.timer ??= setTimeout(() => this.flush(), CHANGES_INTERVAL_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.ids.size === 0) return;
    const ids = [...this.ids];
    this.ids.clear();
    this.events.emit('videos:changed', { ids });
  }
}
