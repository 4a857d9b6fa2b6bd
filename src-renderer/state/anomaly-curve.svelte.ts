import { EVENT_SECONDS_DEFAULTS, eventFramesOf, findEvents, type AnomalyEvent } from '../../src-main/shared/anomaly-events.js';
import type { AnomalyMarkDto, AnomalyMarkKind } from '../../src-main/shared/anomaly.js';
import type { VideoTiming } from '../../src-main/shared/frame-time.js';
import { ApiError } from '../../src-main/shared/errors.js';
import { api } from '../lib/api.js';
import { decodeScores, thresholdAt, type DecodedScores } from './anomaly-scores.js';
import { toasts } from './toasts.svelte.js';
import { loadVideoTiming } from './video-timing.js';

export type CurveStatus = 'idle' | 'loading' | 'ready' | 'unscored';

export interface FrameSpan {
  start: number;
  /** Exclusive. */
  end: number;
}

/**
 * The video open in the Anomaly view: its frame timing, its score curve from the run shown, its
 * marks, the threshold and the events above it, and the span of frames the person selected.
 */
class AnomalyCurveState {
  videoId = $state<number | null>(null);
  runId = $state<number | null>(null);
  scores = $state.raw<DecodedScores | null>(null);
  status = $state<CurveStatus>('idle');
  marks = $state.raw<AnomalyMarkDto[]>([]);
  timing = $state.raw<VideoTiming | null>(null);
  /** Where the threshold sits between the curve's lowest and highest score (kept from video to video). */
  thresholdShare = $state(0.5);
  /** Seconds below the threshold that still join two events; null: the default (half a second). */
  mergeGapChoice = $state<number | null>(null);
  /** Events shorter than this many seconds are not listed; null: the default (none left out). */
  minLengthChoice = $state<number | null>(null);
  selection = $state<FrameSpan | null>(null);
  /** Where `I` put the selection's start, until `O` ends it. */
  selectionStart = $state<number | null>(null);
  /** Whether the box of the region behind the current frame's score is drawn over the video (kept from video to video). */
  showRegionBox = $state(true);
  /** What the last key did, when it shows nowhere else. */
  notice = $state('');

  frameCount = $derived(this.scores?.frameCount ?? this.timing?.frameCount ?? 0);
  threshold = $derived(this.scores ? thresholdAt(this.scores, this.thresholdShare) : 0);
  /** The frame rate the curve's seconds are converted at: the scorer's delivered rate, else the video's. */
  fps = $derived(this.scores?.fps ?? this.timing?.fps ?? null);
  /** Seconds the curve's frames span, for its time axis (null while no frame rate is known). */
  duration = $derived(this.fps ? this.frameCount / this.fps : null);
  mergeGapSeconds = $derived(this.mergeGapChoice ?? EVENT_SECONDS_DEFAULTS.mergeGapSeconds);
  minLengthSeconds = $derived(this.minLengthChoice ?? EVENT_SECONDS_DEFAULTS.minLengthSeconds);
  events = $derived<AnomalyEvent[]>(
    this.scores
      ? findEvents(this.scores.values, {
          threshold: this.threshold,
          ...eventFramesOf({ mergeGapSeconds: this.mergeGapSeconds, minLengthSeconds: this.minLengthSeconds }, this.fps),
          boxes: this.scores.boxes?.frames ?? null,
        })
      : [],
  );

  private generation = 0;

  connect(isProjectOpen: () => boolean): () => void {
    const offs = [
      api.on('anomaly:scored', ({ runId, videoId }) => {
        if (isProjectOpen() && runId === this.runId && videoId === this.videoId) void this.loadScores();
      }),
      api.on('anomaly:marks:changed', ({ videoIds }) => {
        if (!isProjectOpen() || this.videoId === null) return;
        if (videoIds === null || videoIds.includes(this.videoId)) void this.loadMarks();
      }),
      api.onResync(() => {
        if (isProjectOpen() && this.videoId !== null) void this.reload();
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  clear(): void {
    this.generation++;
    this.videoId = null;
    this.runId = null;
    this.scores = null;
    this.status = 'idle';
    this.marks = [];
    this.timing = null;
    this.selection = null;
    this.selectionStart = null;
    this.notice = '';
  }

  /** Opens a video with the curve of a run (or none). */
  show(videoId: number | null, runId: number | null): void {
    if (videoId === this.videoId && runId === this.runId) return;
    const sameVideo = videoId === this.videoId;
    this.videoId = videoId;
    this.runId = runId;
    this.generation++;
    if (!sameVideo) {
      this.timing = null;
      this.marks = [];
      this.selection = null;
      this.selectionStart = null;
    }
    this.scores = null;
    this.status = videoId === null ? 'idle' : 'loading';
    if (videoId === null) return;
    void (sameVideo ? this.loadScores() : this.reload());
  }

  private async reload(): Promise<void> {
    await Promise.all([this.loadTiming(), this.loadMarks(), this.loadScores()]);
  }

  private async loadTiming(): Promise<void> {
    const videoId = this.videoId;
    const generation = this.generation;
    if (videoId === null) return;
    const timing = await loadVideoTiming(videoId, () => generation === this.generation);
    if (timing && generation === this.generation) this.timing = timing;
  }

  async loadMarks(): Promise<void> {
    const videoId = this.videoId;
    if (videoId === null) return;
    try {
      const marks = await api.invoke('anomaly:marks:list', { videoId });
      if (videoId === this.videoId) this.marks = marks.sort((a, b) => a.startFrame - b.startFrame || a.id - b.id);
    } catch (err) {
      toasts.error('Could not read the video’s marks', err);
    }
  }

  private async loadScores(): Promise<void> {
    const { videoId, runId, generation } = this;
    if (videoId === null) return;
    if (runId === null) {
      this.status = 'unscored';
      return;
    }
    try {
      const dto = await api.invoke('anomaly:scores', { runId, videoId });
      if (generation !== this.generation) return;
      this.scores = decodeScores(dto);
      this.status = 'ready';
    } catch (err) {
      if (generation !== this.generation) return;
      this.scores = null;
      this.status = 'unscored';
      // NOT_FOUND is the normal answer for a video this run has not scored yet.
      if (!(err instanceof ApiError && err.code === 'NOT_FOUND')) toasts.error('Could not read the video’s scores', err);
    }
  }

  /** Marks frames [start, end) of the open video (one undoable change). */
  async addMark(span: FrameSpan, kind: AnomalyMarkKind): Promise<AnomalyMarkDto | null> {
    const videoId = this.videoId;
    if (videoId === null) return null;
    try {
      const mark = await api.invoke('anomaly:marks:add', { videoId, startFrame: span.start, endFrame: span.end, kind });
      if (videoId === this.videoId) {
        this.marks = [...this.marks.filter((m) => m.id !== mark.id), mark].sort((a, b) => a.startFrame - b.startFrame || a.id - b.id);
      }
      this.notice = `Marked frames ${span.start}–${span.end - 1} ${kind === 'anomaly' ? 'anomalous' : 'normal'}.`;
      return mark;
    } catch (err) {
      toasts.error(`Could not mark the frames ${kind}`, err);
      return null;
    }
  }

  async deleteMark(id: number): Promise<void> {
    try {
      await api.invoke('anomaly:marks:delete', { id });
      this.marks = this.marks.filter((m) => m.id !== id);
      this.notice = 'Mark removed.';
    } catch (err) {
      toasts.error('Could not remove the mark', err);
    }
  }

  /** Ctrl+Z / Ctrl+Shift+Z: the project's undo history, shared with the Label and Review views. */
  async history(which: 'undo' | 'redo'): Promise<void> {
    try {
      const state = await api.invoke(which === 'undo' ? 'history:undo' : 'history:redo', {});
      this.notice = state.entry
        ? `${which === 'undo' ? 'Undone' : 'Redone'}: ${state.entry.description}`
        : `Nothing to ${which}.`;
      // The answer does not say what changed: read the marks again.
      await this.loadMarks();
    } catch (err) {
      toasts.error(which === 'undo' ? 'Could not undo' : 'Could not redo', err);
    }
  }

  setSelection(span: FrameSpan | null): void {
    this.selection = span;
    this.selectionStart = null;
  }
}

export const anomalyCurve = new AnomalyCurveState();
