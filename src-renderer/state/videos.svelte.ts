import type { VideoDto, VideoStatus } from '../../src-main/shared/dto.js';
import { api } from '../lib/api.js';
import { toasts } from './toasts.svelte.js';

export type StatusFilter = VideoStatus | 'all';

/**
 * Refetches are coalesced: an import emits many 'videos:changed' and a full list can be 10,000
 * rows. The gap between fetches grows with how long one takes, so a big library being imported
 * into does not keep the core busy answering list calls.
 */
const MIN_REFRESH_INTERVAL_MS = 300;
const REFRESH_GAP_PER_FETCH_TIME = 3;

/** The open project's videos, kept current by 'videos:changed' events. */
class VideosState {
  /** Replaced wholesale on every fetch; raw so 10,000 rows are not wrapped in proxies. */
  all = $state.raw<VideoDto[]>([]);
  loaded = $state(false);
  query = $state('');
  status = $state<StatusFilter>('all');

  filtered = $derived.by(() => filterVideos(this.all, this.query, this.status));
  counts = $derived.by(() => countByStatus(this.all));

  private inFlight: Promise<void> | null = null;
  private again = false;
  private lastFetch = 0;
  private lastFetchMs = 0;

  connect(isProjectOpen: () => boolean): () => void {
    const refreshIfOpen = () => {
      if (isProjectOpen()) this.refresh();
    };
    const offChanged = api.on('videos:changed', refreshIfOpen);
    const offResync = api.onResync(refreshIfOpen);
    return () => {
      offChanged();
      offResync();
    };
  }

  byId(id: number): VideoDto | undefined {
    return this.all.find((video) => video.id === id);
  }

  clear(): void {
    this.all = [];
    this.loaded = false;
  }

  /** Fetches the list now, or once more right after the fetch already running. */
  refresh(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = this.fetchLoop().finally(() => {
      this.inFlight = null;
    });
  }

  private async fetchLoop(): Promise<void> {
    do {
      this.again = false;
      const gap = Math.max(MIN_REFRESH_INTERVAL_MS, this.lastFetchMs * REFRESH_GAP_PER_FETCH_TIME);
      const wait = this.lastFetch + gap - Date.now();
      if (wait > 0 && this.loaded) await new Promise((resolve) => setTimeout(resolve, wait));
      this.lastFetch = Date.now();
      try {
        this.all = await api.invoke('videos:list', {});
        this.lastFetchMs = Date.now() - this.lastFetch;
        this.loaded = true;
      } catch (err) {
        toasts.error('Could not load the videos', err);
        return;
      }
    } while (this.again);
  }
}

export function filterVideos(videos: readonly VideoDto[], query: string, status: StatusFilter): VideoDto[] {
  const needle = query.trim().toLowerCase();
  if (!needle && status === 'all') return videos as VideoDto[];
  return videos.filter(
    (video) =>
      (status === 'all' || video.status === status) &&
      (!needle || video.name.toLowerCase().includes(needle)),
  );
}

function countByStatus(videos: readonly VideoDto[]): Record<StatusFilter, number> {
  const counts: Record<StatusFilter, number> = { all: videos.length, ready: 0, processing: 0, failed: 0, missing: 0 };
  for (const video of videos) counts[video.status]++;
  return counts;
}

export const videos = new VideosState();
