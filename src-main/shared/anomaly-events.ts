/**
 * Anomaly events: runs of frames whose score is above a threshold, as the Anomaly view lists them.
 * Two runs separated by fewer than `mergeGap` frames at or below the threshold become one event, so
 * a curve that wobbles around the threshold yields one event rather than many.
 */
import { boxAt, unionOfBoxes, type FrameBox, type FrameBoxes } from './anomaly-boxes.js';

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
}

/** Events in frame order. */
export function findEvents(scores: ArrayLike<number>, options: EventOptions): AnomalyEvent[] {
  const { threshold } = options;
  const mergeGap = options.mergeGap ?? 0;
  if (!Number.isFinite(threshold)) throw new Error(`event threshold must be a finite number, got ${threshold}`);
  if (!Number.isInteger(mergeGap) || mergeGap < 0) throw new Error(`event merge gap must be an integer ≥ 0, got ${mergeGap}`);

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
  const boxes = options.boxes;
  if (boxes) {
    if (boxes.length !== scores.length * 4) throw new Error(`cannot find events: ${boxes.length / 4} frame boxes for ${scores.length} frames`);
    for (const event of events) addBoxes(event, boxes);
  }
  return events;
}

function addBoxes(event: AnomalyEvent, boxes: FrameBoxes): void {
  event.peakBox = boxAt(boxes, event.peakFrame);
  let union: FrameBox | null = null;
  for (let f = event.startFrame; f <= event.endFrame; f++) union = unionOfBoxes(union, boxAt(boxes, f));
  event.box = union;
}
