import { SvelteMap } from 'svelte/reactivity';
import type { ClipDto } from '../../../src-main/shared/dto.js';
import type { PredictionDto, RunDto } from '../../../src-main/shared/run-dto.js';
import { api } from '../../lib/api.js';
import { clips } from '../../state/clips.svelte.js';
import { toasts } from '../../state/toasts.svelte.js';
import { latestPredictedRun, lanePredictions, type LanePrediction } from './prediction-lane.js';

/** Labels change one key press at a time: reading the predictions again can wait this long. */
const REFRESH_DELAY_MS = 300;
const PAGE = 10_000;

/**
 * The predictions of the newest finished run for the video open in the Label view, for the
 * timeline's prediction lane; accepting one labels its clip through review (source `review`).
 */
class PredictionLaneState {
  /** The run the lane shows (null: no finished run has predicted anything yet). */
  run = $state.raw<RunDto | null>(null);
  loaded = $state(false);
  private predictions = $state.raw<PredictionDto[]>([]);
  /**
   * Clips accepted here → the clip list they were accepted against (null while the answer is on
   * its way). Hidden until the clip list is read again (it then shows the label, or, after an
   * undo, none), so a prediction neither lingers nor is accepted twice.
   */
  private readonly accepted = new SvelteMap<number, readonly ClipDto[] | null>();

  private videoId: number | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;

  /** What the lane draws: predicted clips of the open video that carry no label. */
  lane: LanePrediction[] = $derived(
    lanePredictions(
      this.predictions.filter((p) => !this.isHidden(p.clipId)),
      clips.byId,
      (clip) => clips.labelOf(clip),
    ),
  );
  classCount = $derived(this.run?.classes.length ?? 0);

  private isHidden(clipId: number): boolean {
    const against = this.accepted.get(clipId);
    return against === null || against === clips.items;
  }

  connect(): () => void {
    const offs = [
      api.on('labels:changed', ({ videoIds }) => {
        if (this.videoId !== null && (videoIds === null || videoIds.includes(this.videoId))) this.refreshSoon();
      }),
      api.on('runs:changed', (run) => {
        if (this.concerns(run)) this.refreshSoon();
      }),
      api.on('runs:removed', ({ id }) => {
        if (id === this.run?.id) this.refreshSoon();
      }),
      api.onResync(() => this.refreshSoon()),
    ];
    return () => {
      clearTimeout(this.timer);
      offs.forEach((off) => off());
    };
  }

  /** A run event changes the lane when it finishes a newer run, or changes the one shown. */
  private concerns(run: RunDto): boolean {
    const shown = this.run;
    if (shown && run.id === shown.id) return run.status !== shown.status || run.predictions !== shown.predictions;
    return run.status === 'succeeded' && run.predictions > 0 && (shown === null || run.id > shown.id);
  }

  /** Another project: drops what is shown, and reads the open video's predictions again. */
  clear(): void {
    this.generation++;
    this.run = null;
    this.predictions = [];
    this.loaded = false;
    this.accepted.clear();
    if (this.videoId !== null) this.refreshSoon();
  }

  show(videoId: number | null): void {
    if (videoId === this.videoId) return;
    this.generation++;
    this.videoId = videoId;
    this.predictions = [];
    this.loaded = false;
    this.accepted.clear();
    if (videoId !== null) void this.load();
  }

  private refreshSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.load(), REFRESH_DELAY_MS);
  }

  private async load(): Promise<void> {
    const videoId = this.videoId;
    if (videoId === null) return;
    const generation = ++this.generation;
    try {
      const run = latestPredictedRun(await api.invoke('runs:list', {}));
      const items: PredictionDto[] = [];
      if (run) {
        for (let offset = 0; ; offset += PAGE) {
          const page = await api.invoke('predictions:list', { runId: run.id, videoId, offset, limit: PAGE });
          items.push(...page.items);
          if (page.items.length < PAGE || items.length >= page.total) break;
        }
      }
      if (generation !== this.generation) return;
      this.run = run;
      this.predictions = items.filter((p) => p.videoId === videoId);
      this.loaded = true;
      for (const [clipId, against] of [...this.accepted]) if (against !== null && against !== clips.items) this.accepted.delete(clipId);
    } catch (err) {
      if (generation === this.generation) toasts.error('Could not load the predictions for the timeline', err);
    }
  }

  /** Labels the clip with its predicted class, as review does (one undoable change). */
  async accept(prediction: LanePrediction): Promise<boolean> {
    const run = this.run;
    if (!run || this.isHidden(prediction.clipId)) return false;
    this.accepted.set(prediction.clipId, null);
    try {
      await api.invoke('review:apply', { runId: run.id, clipId: prediction.clipId, action: 'accept' });
      this.accepted.set(prediction.clipId, clips.items);
      return true;
    } catch (err) {
      this.accepted.delete(prediction.clipId);
      toasts.error(`Could not accept the prediction for clip ${prediction.clipId}`, err);
      return false;
    }
  }
}

export const predictionLane = new PredictionLaneState();
