import type { LabelStats } from '../../src-main/shared/dto.js';
import { api } from '../lib/api.js';
import { toasts } from './toasts.svelte.js';

/** Labelling fires one change per key press; the counts need not follow faster than this. */
const MIN_REFRESH_INTERVAL_MS = 250;

/** Project-wide label counts (per video, per class, overall), kept current by label events. */
class LabelStatsState {
  current = $state.raw<LabelStats | null>(null);

  perVideo = $derived(new Map((this.current?.perVideo ?? []).map((v) => [v.videoId, v])));
  perClass = $derived(new Map((this.current?.perClass ?? []).map((c) => [c.classId, c.clips])));

  private inFlight = false;
  private again = false;
  private lastFetch = 0;

  connect(): () => void {
    const offs = [
      api.on('labels:changed', () => this.refresh()),
      api.on('classes:changed', () => this.refresh()),
      api.onResync(() => this.refresh()),
    ];
    return () => offs.forEach((off) => off());
  }

  clear(): void {
    this.current = null;
  }

  refresh(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    void this.fetchLoop().finally(() => (this.inFlight = false));
  }

  private async fetchLoop(): Promise<void> {
    do {
      this.again = false;
      const wait = this.lastFetch + MIN_REFRESH_INTERVAL_MS - Date.now();
      if (wait > 0 && this.current) await new Promise((resolve) => setTimeout(resolve, wait));
      this.lastFetch = Date.now();
      try {
        this.current = await api.invoke('labels:stats', {});
      } catch (err) {
        toasts.error('Could not count the labels', err);
        return;
      }
    } while (this.again);
  }
}

export const labelStats = new LabelStatsState();
