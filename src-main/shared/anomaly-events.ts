/**
 * Anomaly events: runs of frames whose score is above a threshold, as the Anomaly view lists them.
 * Two runs separated by fewer than `mergeGap` frames at or below the threshold become one event, so
 * a curve that wobbles around the threshold yields one event rather than many; events shorter than
 * `minLength` frames are then dropped. Both are set in seconds (`eventFramesOf`) and converted per video.
 */
import { boxAt, unionOfBoxes, type FrameBox, type FrameBoxes } from './anomaly-boxes.js';
import { FALLBACK_FPS, wholeFramesOf } from './anomaly-time.js';

export interface AnomalyEvent {
  startFrame: number;
  /** Last frame of the event (inclusive). */
  endFrame: number;
  /** The event's highest-scoring frame (the first one on a tie). */
  peakFrame: number;
  peakScore: number;
  /** With `boxes` given: the box of the region that made the peak frame's score (null where none did). */
  peakBox?: FrameBox | null;
  /** With `boxes` given: the smallest box holding every frame's box over the event (null where none has one). */
  box?: FrameBox | null;
}

export interface EventOptions {
  /** A frame belongs to an event when its score is strictly above this. */
  threshold: number;
  /** Runs separated by a gap of fewer than this many frames are merged (default 0: never). */
  mergeGap?: number;
  /** The frames' region boxes (anomaly-boxes.ts): each event then carries `peakBox` and `box`. */
  boxes?: FrameBoxes | null;
  /** Events (after merging) of fewer than this many frames are left out (default 0: none). */
  minLength?: number;
}

/** The event settings people set, in seconds. */
export interface EventSeconds {
  mergeGapSeconds: number;
  minLengthSeconds: number;
}

/** The Anomaly view's defaults: runs under half a second apart are one event; every event is listed. */
export const EVENT_SECONDS_DEFAULTS: EventSeconds = { mergeGapSeconds: 0.5, minLengthSeconds: 0 };

/** Merge gap and minimum length in a video's frames at its frame rate (FALLBACK_FPS when unknown). */
export function eventFramesOf(seconds: EventSeconds, fps: number | null): { mergeGap: number; minLength: number } {
  const rate = fps !== null && fps > 0 ? fps : FALLBACK_FPS;
  return { mergeGap: wholeFramesOf(seconds.mergeGapSeconds, rate, 0), minLength: wholeFramesOf(seconds.minLengthSeconds, rate, 0) };
}

/** Events in frame order. */
export function findEvents(scores: ArrayLike<number>, options: EventOptions): AnomalyEvent[] {
  const { threshold } = options;
  const mergeGap = options.mergeGap ?? 0;
  const minLength = options.minLength ?? 0;
  if (!Number.isFinite(threshold)) throw new Error(`event threshold must be a finite number, got ${threshold}`);
  if (!Number.isInteger(mergeGap) || mergeGap < 0) throw new Error(`event merge gap must be an integer ≥ 0, got ${mergeGap}`);
  if (!Number.isInteger(minLength) || minLength < 0) throw new Error(`event minimum length must be an integer ≥ 0, got ${minLength}`);

  const events: AnomalyEvent[] = [];
  let open: AnomalyEvent | null = null;
  for (let f = 0; f < scores.length; f++) {
    const score = scores[f] as number;
    if (!Number.isFinite(score)) throw new Error(`cannot find events: frame ${f} has score ${score}`);
    if (!(score > threshold)) {
      open = null;
      continue;
    }
    if (open === null) {
      const last = events[events.length - 1];
      if (last !== undefined && f - last.endFrame - 1 < mergeGap) {
        open = last;
      } else {
        open = { startFrame: f, endFrame: f, peakFrame: f, peakScore: score };
        events.push(open);
      }
    }
    open.endFrame = f;
    if (score > open.peakScore) {
      open.peakFrame = f;
      open.peakScore = score;
    }
  }
  const kept = minLength <= 1 ? events : events.filter((e) => e.endFrame - e.startFrame + 1 >= minLength);
  const boxes = options.boxes;
  if (boxes) {
    if (boxes.length !== scores.length * 4) throw new Error(`cannot find events: ${boxes.length / 4} frame boxes for ${scores.length} frames`);
    for (const event of kept) addBoxes(event, boxes);
  }
  return kept;
}

function addBoxes(event: AnomalyEvent, boxes: FrameBoxes): void {
  event.peakBox = boxAt(boxes, event.peakFrame);
  let union: FrameBox | null = null;
  for (let f = event.startFrame; f <= event.endFrame; f++) union = unionOfBoxes(union, boxAt(boxes, f));
  event.box = union;
}
