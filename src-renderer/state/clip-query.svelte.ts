import type { ClipDto } from '../../src-main/shared/dto.js';
import { api } from '../lib/api.js';
import { toasts } from './toasts.svelte.js';

/** all: no filter; or clips without a label, with any label, or with one class. */
export type ClipFilter = 'all' | 'unlabelled' | 'labelled' | `class:${number}`;

/** How many matching clips one query brings; the list shows them a page at a time. */
const QUERY_LIMIT = 10_000;
const PAGE = 100;
const MIN_REFRESH_INTERVAL_MS = 400;

/** The clips of the whole project that match the Label view's filter (clips:query). */
class ClipQueryState {
  filter = $state<ClipFilter>('all');
  total = $state(0);
  items = $state.raw<ClipDto[]>([]);
  shown = $state(PAGE);
  loading = $state(false);

  /** Matching clips per video, for the video list. */
  perVideo = $derived.by(() => {
    const counts: Record<number, number> = {};
    for (const clip of this.items) counts[clip.videoId] = (counts[clip.videoId] ?? 0) + 1;
    return new Map(Object.entries(counts).map(([id, n]) => [Number(id), n]));
  });
  visible = $derived(this.items.slice(0, this.shown));

  private fetching = false;
  private again = false;
  private lastFetch = 0;

  connect(): () => void {
    const refreshIfFiltered = () => {
      if (this.filter !== 'all') this.refresh();
    };
    const offs = [
      api.on('labels:changed', refreshIfFiltered),
      api.on('classes:changed', refreshIfFiltered),
      api.onResync(refreshIfFiltered),
    ];
    return () => offs.forEach((off) => off());
  }

  setFilter(filter: ClipFilter): void {
    this.filter = filter;
    this.shown = PAGE;
    this.items = [];
    this.total = 0;
    if (filter !== 'all') this.refresh();
  }

  showMore(): void {
    this.shown += PAGE;
  }

  clear(): void {
    this.setFilter('all');
  }

  refresh(): void {
    if (this.fetching) {
      this.again = true;
      return;
    }
    this.fetching = true;
    this.loading = true;
    void this.fetchLoop().finally(() => {
      this.fetching = false;
      this.loading = false;
    });
  }

  private async fetchLoop(): Promise<void> {
    do {
      this.again = false;
      const filter = this.filter;
      if (filter === 'all') return;
      const wait = this.lastFetch + MIN_REFRESH_INTERVAL_MS - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.lastFetch = Date.now();
      try {
        const page = await api.invoke('clips:query', { ...queryOf(filter), offset: 0, limit: QUERY_LIMIT });
        if (filter !== this.filter) {
          this.again = true;
          continue;
        }
        this.items = page.items;
        this.total = page.total;
      } catch (err) {
        toasts.error('Could not find the matching clips', err);
        return;
      }
    } while (this.again);
  }
}

export function queryOf(filter: Exclude<ClipFilter, 'all'>): { filter: 'unlabelled' | 'labelled' | 'all'; classId?: number } {
  if (filter === 'unlabelled' || filter === 'labelled') return { filter };
  return { filter: 'all', classId: Number(filter.slice('class:'.length)) };
}

export const clipQuery = new ClipQueryState();
