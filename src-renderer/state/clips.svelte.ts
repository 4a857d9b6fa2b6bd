import type { ClipDto, HistoryState } from '../../src-main/shared/dto.js';
import type { VideoTiming } from '../../src-main/shared/frame-time.js';
import { api } from '../lib/api.js';
import { classes } from './classes.svelte.js';
import { labelActivity } from './label-activity.svelte.js';
import { labelStats } from './label-stats.svelte.js';
import { toasts } from './toasts.svelte.js';
import { loadVideoTiming } from './video-timing.js';

/** A label sent to the core and not answered yet. */
interface PendingLabel {
  classId: number | null;
  token: number;
}

/** Labelling fires one 'labels:changed' per key press; refetching the clip list can wait this long. */
const MIN_REFRESH_INTERVAL_MS = 150;

function byTime(a: ClipDto, b: ClipDto): number {
  return a.startFrame - b.startFrame || a.endFrame - b.endFrame || a.id - b.id;
}

function frames(clip: ClipDto): string {
  return `frames ${clip.startFrame}–${clip.endFrame - 1}`;
}

/**
 * The clips of the video open in the Label view, and every change to them. Changes go to the core
 * one at a time, in the order they were asked for (a second press of a class key must reach it
 * after the first); the list is patched with each answer and refetched after label events.
 */
class ClipsState {
  videoId = $state<number | null>(null);
  /** Sorted by start frame, end frame, id. Raw: a video can have thousands. */
  items = $state.raw<ClipDto[]>([]);
  loaded = $state(false);
  /** Labels on their way to the core: clip id → the class it will carry. */
  pending = $state.raw<ReadonlyMap<number, PendingLabel>>(new Map());
  /** Changes asked for and not answered yet. */
  busy = $state(0);
  /** The open video's exact frame timing (per-frame times when its rate varies), from the core. */
  timing = $state.raw<(VideoTiming & { videoId: number }) | null>(null);

  byId = $derived(new Map(this.items.map((clip) => [clip.id, clip])));

  private queue: Promise<unknown> = Promise.resolve();
  private mutations = 0;
  private skippedWhileBusy = false;
  private fetching = false;
  private again = false;
  private lastFetch = 0;
  private nextToken = 1;

  connect(): () => void {
    const offs = [
      api.on('labels:changed', ({ videoIds }) => {
        if (this.videoId !== null && (videoIds === null || videoIds.includes(this.videoId))) this.refresh();
      }),
      api.onResync(() => this.refresh()),
    ];
    return () => offs.forEach((off) => off());
  }

  /** Shows another video's clips (null: none). */
  show(videoId: number | null): void {
    if (videoId === this.videoId) return;
    this.videoId = videoId;
    this.items = [];
    this.loaded = false;
    this.pending = new Map();
    this.timing = null;
    if (videoId === null) return;
    this.refresh();
    void this.loadTiming(videoId);
  }

  private async loadTiming(videoId: number): Promise<void> {
    const timing = await loadVideoTiming(videoId, () => videoId === this.videoId);
    if (timing && videoId === this.videoId) this.timing = { ...timing, videoId };
  }

  /** The class a clip shows: the one being saved, else the stored one. */
  labelOf(clip: ClipDto): number | null {
    const pending = this.pending.get(clip.id);
    return pending ? pending.classId : clip.classId;
  }

  isSaving(clipId: number): boolean {
    return this.pending.has(clipId);
  }

  refresh(): void {
    if (this.fetching) {
      this.again = true;
      return;
    }
    this.fetching = true;
    void this.fetchLoop().finally(() => (this.fetching = false));
  }

  private async fetchLoop(): Promise<void> {
    do {
      this.again = false;
      const videoId = this.videoId;
      if (videoId === null) return;
      const wait = this.lastFetch + MIN_REFRESH_INTERVAL_MS - Date.now();
      if (wait > 0 && this.loaded) await new Promise((resolve) => setTimeout(resolve, wait));
      this.lastFetch = Date.now();
      const mutationsBefore = this.mutations;
      let items: ClipDto[];
      try {
        items = await api.invoke('clips:list', { videoId });
      } catch (err) {
        toasts.error('Could not load the clips', err);
        return;
      }
      if (videoId !== this.videoId) {
        this.again = true;
      } else if (this.busy > 0 || mutationsBefore !== this.mutations) {
        // This list may predate an answer already applied; fetch again once the queue is empty.
        this.skippedWhileBusy = true;
      } else {
        this.items = items;
        this.loaded = true;
      }
    } while (this.again);
  }

  /** A class key: labels the clip, or removes the label when it already shows this class. */
  toggleLabel(clip: ClipDto, classId: number, askedAt = performance.now()): Promise<ClipDto | null> {
    const next = this.labelOf(clip) === classId ? null : classId;
    return this.sendLabel(clip, next, askedAt, () => api.invoke('labels:toggle', { clipId: clip.id, classId }));
  }

  removeLabel(clip: ClipDto, askedAt = performance.now()): Promise<ClipDto | null> {
    return this.sendLabel(clip, null, askedAt, () => api.invoke('labels:set', { clipId: clip.id, classId: null }));
  }

  private async sendLabel(
    clip: ClipDto,
    predicted: number | null,
    askedAt: number,
    call: () => Promise<ClipDto>,
  ): Promise<ClipDto | null> {
    const token = this.nextToken++;
    this.setPending(clip.id, { classId: predicted, token });
    const entry = labelActivity.add({
      kind: 'label',
      videoId: clip.videoId,
      clipId: clip.id,
      classId: predicted,
      text: labelText(clip, predicted),
      askedAt,
    });
    const result = await this.enqueue(call, (saved) => this.replace(saved));
    if (this.pending.get(clip.id)?.token === token) this.setPending(clip.id, null);
    if (result) labelActivity.settle(entry, 'saved', { classId: result.classId, text: labelText(result, result.classId) });
    else labelActivity.settle(entry, 'failed');
    return result;
  }

  create(videoId: number, startFrame: number, endFrame: number): Promise<ClipDto | null> {
    return this.edit(`Draw a segment (frames ${startFrame}–${endFrame - 1})`, videoId, null,
      () => api.invoke('clips:create', { videoId, startFrame, endFrame }),
      (clip) => this.insert([clip]));
  }

  update(clip: ClipDto, startFrame: number, endFrame: number): Promise<ClipDto | null> {
    return this.move(clip, `Move clip ${clip.id} to frames ${startFrame}–${endFrame - 1}`, () => ({ startFrame, endFrame }));
  }

  /**
   * Moves one edge by `by` frames from where it is when the change runs, not when the key was pressed:
   * changes run one after another, so a second nudge pressed before the first one's answer arrived
   * still adds to it instead of putting that edge back.
   */
  nudge(clip: ClipDto, edge: 'start' | 'end', by: number): Promise<ClipDto | null> {
    const frames = `${Math.abs(by)} frame${Math.abs(by) === 1 ? '' : 's'}`;
    return this.move(clip, `Move clip ${clip.id}'s ${edge} ${by > 0 ? 'later' : 'earlier'} by ${frames}`, (now) => ({
      startFrame: edge === 'start' ? now.startFrame + by : now.startFrame,
      endFrame: edge === 'end' ? now.endFrame + by : now.endFrame,
    }));
  }

  /** Stores new edges for `clip`, worked out from the clip as the list holds it when the change runs. */
  private move(clip: ClipDto, text: string, edges: (now: ClipDto) => { startFrame: number; endFrame: number }): Promise<ClipDto | null> {
    return this.edit(text, clip.videoId, clip.id,
      () => api.invoke('clips:update', { id: clip.id, ...edges(this.items.find((item) => item.id === clip.id) ?? clip) }),
      (moved) => this.replace(moved));
  }

  split(clip: ClipDto, frame: number): Promise<ClipDto[] | null> {
    return this.edit(`Split clip ${clip.id} at frame ${frame}`, clip.videoId, clip.id,
      () => api.invoke('clips:split', { id: clip.id, frame }),
      (parts) => this.insert(parts));
  }

  merge(first: ClipDto, second: ClipDto): Promise<ClipDto | null> {
    return this.edit(`Merge clips ${first.id} and ${second.id}`, first.videoId, first.id,
      () => api.invoke('clips:merge', { ids: [first.id, second.id] }),
      (merged) => {
        this.remove(first.id === merged.id ? second.id : first.id);
        this.replace(merged);
      });
  }

  delete(clip: ClipDto): Promise<null | undefined> {
    return this.edit(`Delete clip ${clip.id} (${frames(clip)})`, clip.videoId, clip.id,
      async () => {
        await api.invoke('clips:delete', { id: clip.id });
        return undefined;
      },
      () => this.remove(clip.id));
  }

  undo(): Promise<HistoryState | null> {
    return this.history('undo');
  }

  redo(): Promise<HistoryState | null> {
    return this.history('redo');
  }

  private async history(which: 'undo' | 'redo'): Promise<HistoryState | null> {
    const verb = which === 'undo' ? 'Undo' : 'Redo';
    const entry = labelActivity.add({ kind: 'history', videoId: null, clipId: null, classId: null, text: verb, askedAt: performance.now() });
    const state = await this.enqueue(() => api.invoke(which === 'undo' ? 'history:undo' : 'history:redo', {}), () => {
      // What changed is not in the answer: fetch what the project holds now.
      this.refresh();
      classes.refresh();
    });
    if (!state) {
      labelActivity.settle(entry, 'failed');
    } else {
      const text = state.entry
        ? `${which === 'undo' ? 'Undone' : 'Redone'}: ${state.entry.description}`
        : `Nothing to ${which}`;
      labelActivity.settle(entry, 'saved', { text });
    }
    return state;
  }

  private async edit<T>(
    text: string,
    videoId: number,
    clipId: number | null,
    call: () => Promise<T>,
    apply: (result: T) => void,
  ): Promise<T | null> {
    const entry = labelActivity.add({ kind: 'edit', videoId, clipId, classId: null, text, askedAt: performance.now() });
    const result = await this.enqueue(call, apply);
    labelActivity.settle(entry, result === null ? 'failed' : 'saved');
    return result;
  }

  /** Runs changes one after another; a failure is shown and everything is fetched again. */
  private enqueue<T>(call: () => Promise<T>, apply: (result: T) => void): Promise<T | null> {
    this.busy++;
    const run = async (): Promise<T | null> => {
      try {
        const result = await call();
        this.mutations++;
        apply(result);
        return result;
      } catch (err) {
        toasts.error('The change was not saved', err);
        this.skippedWhileBusy = true;
        classes.refresh();
        labelStats.refresh();
        return null;
      } finally {
        this.busy--;
        if (this.busy === 0 && this.skippedWhileBusy) {
          this.skippedWhileBusy = false;
          this.refresh();
        }
      }
    };
    const task = this.queue.then(run, run);
    this.queue = task;
    return task;
  }

  private setPending(clipId: number, value: PendingLabel | null): void {
    const others = [...this.pending].filter(([id]) => id !== clipId);
    this.pending = new Map(value ? [...others, [clipId, value]] : others);
  }

  private replace(clip: ClipDto): void {
    if (clip.videoId !== this.videoId) return;
    const index = this.items.findIndex((c) => c.id === clip.id);
    const old = this.items[index];
    if (old && old.startFrame === clip.startFrame && old.endFrame === clip.endFrame) {
      // A label changed, not the order: no need to sort thousands of clips again.
      const next = this.items.slice();
      next[index] = clip;
      this.items = next;
      return;
    }
    this.items = [...this.items.filter((c) => c.id !== clip.id), clip].sort(byTime);
  }

  private insert(clips: ClipDto[]): void {
    const ids = new Set(clips.map((c) => c.id));
    const mine = clips.filter((c) => c.videoId === this.videoId);
    this.items = [...this.items.filter((c) => !ids.has(c.id)), ...mine].sort(byTime);
  }

  private remove(clipId: number): void {
    this.items = this.items.filter((c) => c.id !== clipId);
  }
}

function labelText(clip: ClipDto, classId: number | null): string {
  const name = classId === null ? null : (classes.byId.get(classId)?.name ?? `class ${classId}`);
  return name === null ? `Clip ${clip.id} (${frames(clip)}): label removed` : `Clip ${clip.id} (${frames(clip)}) → ${name}`;
}

export const clips = new ClipsState();
