import { SvelteSet } from 'svelte/reactivity';
import type { AnomalyMarkKind, AnomalyVideoDto } from '../../src-main/shared/anomaly.js';
import type { JobDto } from '../../src-main/shared/dto.js';
import { api } from '../lib/api.js';
import { CoalescingTimer } from '../lib/coalescing-timer.js';
import { toasts } from './toasts.svelte.js';

/** Scoring stores one curve after another, each with an event: refetch the list at most this often. */
const REFRESH_DELAY_MS = 300;

/**
 * The Anomaly view's video list for the run shown: each video's score status, peak and marks,
 * the videos ticked for scoring, and the video open in the player.
 */
class AnomalyVideosState {
  list = $state.raw<AnomalyVideoDto[]>([]);
  loaded = $state(false);
  /** The run the list's scores are of (null: no run, marks only). */
  runId = $state<number | null>(null);
  openId = $state<number | null>(null);
  /** Videos ticked for "Score chosen". */
  readonly chosen = new SvelteSet<number>();

  open = $derived(this.list.find((video) => video.videoId === this.openId) ?? null);
  scoredCount = $derived(this.list.filter((video) => video.scored).length);

  private readonly refreshTimer = new CoalescingTimer(REFRESH_DELAY_MS, () => this.refresh());
  private fetching: Promise<void> | null = null;
  private again = false;

  connect(isProjectOpen: () => boolean): () => void {
    const later = () => {
      if (isProjectOpen()) this.scheduleRefresh();
    };
    const offs = [
      api.on('anomaly:scored', ({ runId }) => {
        if (runId === this.runId) later();
      }),
      api.on('anomaly:marks:changed', later),
      api.on('videos:changed', later),
      api.onResync(later),
    ];
    return () => {
      offs.forEach((off) => off());
      this.refreshTimer.cancel();
    };
  }

  clear(): void {
    this.list = [];
    this.loaded = false;
    this.runId = null;
    this.openId = null;
    this.chosen.clear();
  }

  /** Shows the list for another run (or none); the open video stays open. */
  showRun(runId: number | null): void {
    if (runId === this.runId && this.loaded) return;
    this.runId = runId;
    this.refresh();
  }

  scheduleRefresh(): void {
    this.refreshTimer.schedule();
  }

  refresh(): void {
    if (this.fetching) {
      this.again = true;
      return;
    }
    this.fetching = this.fetchLoop().finally(() => {
      this.fetching = null;
    });
  }

  private async fetchLoop(): Promise<void> {
    do {
      this.again = false;
      const runId = this.runId;
      try {
        const list = await api.invoke('anomaly:videos', runId === null ? {} : { runId });
        if (runId !== this.runId) {
          this.again = true;
          continue;
        }
        this.list = list;
        this.loaded = true;
        const present = new Set(list.map((video) => video.videoId));
        for (const id of this.chosen) if (!present.has(id)) this.chosen.delete(id);
        if (this.openId === null || !present.has(this.openId)) this.openId = this.firstToOpen(list);
      } catch (err) {
        toasts.error('Could not list the videos for anomaly detection', err);
        return;
      }
    } while (this.again);
  }

  /** The highest-scoring scored video, else the first one. */
  private firstToOpen(list: readonly AnomalyVideoDto[]): number | null {
    let best: AnomalyVideoDto | undefined;
    for (const video of list) if (video.scored && (best === undefined || (video.max ?? 0) > (best.max ?? 0))) best = video;
    return (best ?? list[0])?.videoId ?? null;
  }

  toggleChosen(id: number): void {
    if (this.chosen.has(id)) this.chosen.delete(id);
    else this.chosen.add(id);
  }

  /** Starts a scoring job; its progress shows in the task panel like every job. */
  async score(runId: number, videoIds: number[]): Promise<JobDto | null> {
    try {
      return await api.invoke('anomaly:score', { runId, videoIds });
    } catch (err) {
      toasts.error('Could not start scoring', err);
      return null;
    }
  }

  /** Marks every frame of a video (one undoable change). */
  async markWhole(video: AnomalyVideoDto, kind: AnomalyMarkKind): Promise<void> {
    if (!video.frameCount) {
      toasts.error('Could not mark the video', new Error('Its frame count is not known yet: wait until it is imported.'));
      return;
    }
    try {
      await api.invoke('anomaly:marks:add', { videoId: video.videoId, startFrame: 0, endFrame: video.frameCount, kind });
      this.scheduleRefresh();
    } catch (err) {
      toasts.error(`Could not mark the video ${kind}`, err);
    }
  }
}

export const anomalyVideos = new AnomalyVideosState();
