import type { VideoTiming } from '../../src-main/shared/frame-time.js';
import type {
  AcquisitionStrategy,
  BulkAcceptPreview,
  BulkAcceptReport,
  ReviewAction,
  ReviewFilter,
  ReviewItem,
  ReviewQueuePage,
  ReviewSession,
} from '../../src-main/shared/review.js';
import type { RunDto } from '../../src-main/shared/run-dto.js';
import { api } from '../lib/api.js';
import {
  firstPendingBetween,
  isLoaded,
  itemAt,
  loadedEnd,
  pendingSearchRanges,
  positionOf,
  windowStart,
  withItem,
  type QueueWindow,
} from './review-window.js';
import { toasts } from './toasts.svelte.js';
import { loadVideoTiming } from './video-timing.js';

/** Items fetched per page of the queue, and how many before the current one a page keeps. */
const PAGE = 100;
const LOOK_BACK = 20;
/** Label events come in bursts (one per decision): refetch the queue at most this often. */
const REFRESH_DELAY_MS = 250;

/** A change the person can undo with Ctrl+Z from the Review view, newest last. */
interface UndoableStep {
  /** The clip the change was made on (null: many, as with bulk accept). */
  clipId: number | null;
}

export function isReviewable(run: RunDto): boolean {
  return run.status === 'succeeded' && run.predictions > 0;
}

/**
 * The Review view's queue: the session the project remembers (run, strategy, filter, clip on
 * screen), one loaded window of the ordered queue, and the person's decisions. Every action runs
 * in order, one after the other, so keys pressed quickly act on the clips in turn.
 */
class ReviewState {
  session = $state.raw<ReviewSession | null>(null);
  /** Finished runs with predictions, newest first. */
  runs = $state.raw<RunDto[]>([]);
  loaded = $state(false);
  window = $state.raw<QueueWindow | null>(null);
  humanLabelled = $state(0);
  /** Position of the clip on screen in the queue (0-based). */
  position = $state<number | null>(null);
  /** Every item has a decision and the person went past the last one. */
  done = $state(false);
  /** What the last key did when it did nothing visible, or why not. */
  notice = $state('');
  busy = $state(0);
  /** Frame timing of the videos shown, by video id. */
  timings = $state.raw<ReadonlyMap<number, VideoTiming>>(new Map());

  run = $derived(this.runs.find((r) => r.id === this.session?.runId) ?? null);
  current = $derived(this.window && this.position !== null ? itemAt(this.window, this.position) : null);

  private queue: Promise<unknown> = Promise.resolve();
  private sessionWrites: Promise<unknown> = Promise.resolve();
  private undoable: UndoableStep[] = [];
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private loadingTimings = new Set<number>();

  connect(isProjectOpen: () => boolean): () => void {
    const offs = [
      api.on('labels:changed', () => this.scheduleRefresh()),
      api.on('classes:changed', () => this.scheduleRefresh()),
      api.on('runs:changed', (run) => this.runChanged(run)),
      api.on('runs:removed', ({ id }) => {
        this.runs = this.runs.filter((r) => r.id !== id);
        if (this.session?.runId === id && isProjectOpen()) void this.load();
      }),
      api.onResync(() => {
        if (isProjectOpen()) void this.load();
      }),
    ];
    return () => {
      offs.forEach((off) => off());
      if (this.refreshTimer) clearTimeout(this.refreshTimer);
      this.refreshTimer = null;
    };
  }

  clear(): void {
    this.session = null;
    this.runs = [];
    this.loaded = false;
    this.window = null;
    this.humanLabelled = 0;
    this.position = null;
    this.done = false;
    this.notice = '';
    this.timings = new Map();
    this.undoable = [];
  }

  /** Reads the session the project remembers and opens its queue where the person left it. */
  load(): Promise<void> {
    return this.enqueue('Could not open the review queue', async () => {
      const [session, runs] = await Promise.all([api.invoke('review:session:get', {}), api.invoke('runs:list', {})]);
      this.runs = runs.filter(isReviewable).sort((a, b) => b.id - a.id);
      this.session = session;
      await this.openQueue(session.clipId);
      this.loaded = true;
    });
  }

  setRun(runId: number): Promise<void> {
    return this.changeSession({ runId, clipId: null, filter: { ...this.filter(), classIds: undefined, clipIds: undefined } });
  }

  setStrategy(strategy: AcquisitionStrategy): Promise<void> {
    return this.changeSession({ strategy, clipId: null });
  }

  setFilter(filter: ReviewFilter): Promise<void> {
    return this.changeSession({ filter, clipId: null });
  }

  /** Accept, correct or reject the clip on screen, then move on to the next pending clip. */
  decide(action: Exclude<ReviewAction, 'skip'>, classId?: number): Promise<void> {
    return this.enqueue(`Could not ${action} the clip`, async () => {
      const item = this.current;
      const session = this.session;
      if (!item || !session?.runId || this.done) return this.say('No clip to decide on.');
      const updated = await api.invoke('review:apply', {
        runId: session.runId,
        clipId: item.clipId,
        action,
        ...(classId === undefined ? {} : { classId }),
      });
      this.undoable.push({ clipId: item.clipId });
      this.patch(updated);
      await this.moveToNextPending();
    });
  }

  /** → : records a skip of a pending clip and shows the next clip of the queue. */
  skip(): Promise<void> {
    return this.enqueue('Could not skip the clip', async () => {
      const item = this.current;
      const session = this.session;
      const window = this.window;
      if (!item || !session?.runId || !window || this.position === null || this.done) return;
      if (item.decision === null) {
        await api.invoke('review:apply', { runId: session.runId, clipId: item.clipId, action: 'skip' });
      }
      if (this.position + 1 >= window.total) return this.say('This is the last clip of the queue.');
      await this.goTo(this.position + 1);
    });
  }

  /** ← : the clip before (decided ones show their decision). */
  back(): Promise<void> {
    return this.enqueue('Could not go back', async () => {
      if (this.position === null) return;
      if (this.done) {
        this.done = false;
        return;
      }
      if (this.position === 0) return this.say('This is the first clip of the queue.');
      await this.goTo(this.position - 1);
    });
  }

  /** Ctrl+Z: undoes the last change (of any view) and shows the clip it was made on again. */
  undo(): Promise<void> {
    return this.enqueue('Could not undo', async () => {
      const state = await api.invoke('history:undo', {});
      if (!state.entry) return this.say('Nothing to undo.');
      // Only a review change has a clip of ours to go back to; an edit made elsewhere just reloads.
      const step = state.entry.action.startsWith('review:') ? this.undoable.pop() : undefined;
      this.say(`Undone: ${state.entry.description}`);
      this.done = false;
      if (step && step.clipId !== null) await this.openQueue(step.clipId);
      else await this.reloadWindow();
    });
  }

  previewBulk(minConfidence: number): Promise<BulkAcceptPreview> {
    const runId = this.requireRun();
    return api.invoke('review:bulk-preview', { runId, minConfidence, filter: this.filter() });
  }

  /** Throws: the dialog shows why beside the confidence the person set. */
  async bulkAccept(minConfidence: number): Promise<BulkAcceptReport> {
    const runId = this.requireRun();
    const report = await api.invoke('review:bulk-accept', { runId, minConfidence, filter: this.filter() });
    if (report.historyId !== null) this.undoable.push({ clipId: null });
    await this.enqueue('Could not reload the review queue', async () => {
      await this.reloadWindow();
      if (this.window && this.window.total > 0 && this.window.pending === 0) this.done = true;
    });
    return report;
  }

  /** The frame timing of a video the player needs (fetched once). */
  timingOf(videoId: number): VideoTiming | null {
    const known = this.timings.get(videoId);
    if (known) return known;
    if (!this.loadingTimings.has(videoId)) void this.loadTiming(videoId);
    return null;
  }

  private async loadTiming(videoId: number): Promise<void> {
    this.loadingTimings.add(videoId);
    const timing = await loadVideoTiming(videoId);
    this.loadingTimings.delete(videoId);
    if (timing) this.timings = new Map([...this.timings, [videoId, timing]]);
  }

  private filter(): ReviewFilter {
    return this.session?.filter ?? { minConfidence: 0, maxConfidence: 1, includeReviewed: true };
  }

  private requireRun(): number {
    const runId = this.session?.runId;
    if (!runId) throw new Error('Pick a run to review first.');
    return runId;
  }

  private changeSession(change: Partial<ReviewSession>): Promise<void> {
    return this.enqueue('Could not change the review queue', async () => {
      this.session = await api.invoke('review:session:set', change);
      this.undoable = [];
      await this.openQueue(null);
    });
  }

  /** Loads the window holding `focusClipId` (else the queue's start) and shows that clip. */
  private async openQueue(focusClipId: number | null): Promise<void> {
    this.done = false;
    const session = this.session;
    if (!session?.runId) {
      this.window = null;
      this.position = null;
      return;
    }
    let page = await this.fetchPage(focusClipId === null ? { offset: 0 } : { focusClipId });
    let position = focusClipId === null ? null : positionOf(toWindow(page), focusClipId);
    if (position === null) {
      // The clip left the queue (labelled by a person, filtered out): start where its page began.
      position = Math.min(page.offset, Math.max(0, page.total - 1));
    }
    if (page.offset > 0 && position - page.offset < LOOK_BACK) {
      page = await this.fetchPage({ offset: windowStart(position, LOOK_BACK) });
    }
    this.adopt(page);
    this.position = page.total === 0 ? null : position;
    this.done = page.total > 0 && page.pending === 0;
    this.saveClip();
  }

  private async reloadWindow(): Promise<void> {
    const window = this.window;
    if (!window || !this.session?.runId) return this.openQueue(this.current?.clipId ?? null);
    const clipId = this.current?.clipId ?? null;
    const page = await this.fetchPage({ offset: window.offset });
    this.adopt(page);
    const found = clipId === null ? null : positionOf(toWindow(page), clipId);
    if (found !== null) this.position = found;
    else if (page.total === 0) this.position = null;
    else if (this.position !== null) this.position = Math.min(this.position, page.total - 1);
    if (this.position !== null && !isLoaded(toWindow(page), this.position)) await this.goTo(this.position);
  }

  private async goTo(position: number): Promise<void> {
    const window = this.window;
    if (!window) return;
    if (!isLoaded(window, position)) this.adopt(await this.fetchPage({ offset: windowStart(position, LOOK_BACK) }));
    this.position = position;
    this.done = false;
    this.saveClip();
  }

  /** After a decision: the next clip without one, wrapping round to the queue's start. */
  private async moveToNextPending(): Promise<void> {
    let window = this.window;
    const from = this.position;
    if (!window || from === null) return;
    if (window.pending > 0) {
      for (const [start, end] of pendingSearchRanges(from, window.total)) {
        let cursor = start;
        while (cursor < end) {
          if (!isLoaded(window, cursor)) window = this.adopt(await this.fetchPage({ offset: cursor }));
          const found = firstPendingBetween(window, cursor, end);
          if (found !== null) return this.goTo(found);
          if (loadedEnd(window) <= cursor) break;
          cursor = loadedEnd(window);
        }
      }
    }
    this.done = true;
  }

  private async fetchPage(at: { offset: number } | { focusClipId: number }): Promise<ReviewQueuePage> {
    const session = this.session;
    if (!session?.runId) throw new Error('Pick a run to review first.');
    return api.invoke('review:queue', {
      runId: session.runId,
      strategy: session.strategy,
      filter: session.filter,
      seed: session.seed,
      limit: PAGE,
      ...at,
    });
  }

  private adopt(page: ReviewQueuePage): QueueWindow {
    const window = toWindow(page);
    this.window = window;
    this.humanLabelled = page.humanLabelled;
    return window;
  }

  private patch(item: ReviewItem): void {
    if (this.window) this.window = withItem(this.window, item);
  }

  /** The clip on screen is part of the session: a reload or restart comes back to it. */
  private saveClip(): void {
    const clipId = this.current?.clipId ?? null;
    if (!this.session || this.session.clipId === clipId) return;
    this.session = { ...this.session, clipId };
    this.sessionWrites = this.sessionWrites
      .then(() => api.invoke('review:session:set', { clipId }))
      .catch((err: unknown) => toasts.error('Could not remember the clip on screen', err));
  }

  private runChanged(run: RunDto): void {
    const others = this.runs.filter((r) => r.id !== run.id);
    this.runs = isReviewable(run) ? [run, ...others].sort((a, b) => b.id - a.id) : others;
    // The first run to finish fills an empty Review view without a click.
    if (this.loaded && this.session && this.session.runId === null && isReviewable(run)) void this.setRun(run.id);
  }

  private scheduleRefresh(): void {
    if (!this.window || this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.enqueue('Could not reload the review queue', () => this.reloadWindow(), false);
    }, REFRESH_DELAY_MS);
  }

  private say(text: string): void {
    this.notice = text;
  }

  /** Runs one step after the ones asked for before it; a failure is shown and ends only that step. */
  private enqueue(failure: string, step: () => Promise<void>, byPerson = true): Promise<void> {
    this.busy++;
    const run = this.queue.then(async () => {
      // A notice answers the person's last key: a background refresh leaves it up.
      if (byPerson) this.notice = '';
      try {
        await step();
      } catch (err) {
        toasts.error(failure, err);
      } finally {
        this.busy--;
      }
    });
    this.queue = run;
    return run;
  }
}

function toWindow(page: ReviewQueuePage): QueueWindow {
  return { offset: page.offset, items: page.items, total: page.total, pending: page.pending };
}

export const review = new ReviewState();
