import { boxAt, type FrameBox, type FrameBoxes } from '../../shared/anomaly-boxes.js';
import { findEvents } from '../../shared/anomaly-events.js';

export interface CurveEvent {
  startFrame: number;
  /** Last frame of the event (inclusive). */
  endFrame: number;
  peakFrame: number;
  peakScore: number;
  /** The box of the region that made the peak frame's score; null where none did or the curve has no boxes. */
  peakBox: FrameBox | null;
  /** The smallest box holding the event's frames' boxes. */
  box: FrameBox | null;
}

export interface CurveSummary {
  frames: number;
  mean: number;
  std: number;
  peakFrame: number | null;
  peakScore: number | null;
  /** The box of the region that made the peak frame's score (null without boxes). */
  peakBox: FrameBox | null;
  threshold: number;
  /** How many events the curve holds above the threshold. */
  eventCount: number;
  /** The highest-peaked events, highest first. */
  events: CurveEvent[];
}

export interface SummaryOptions {
  /** Fixed threshold; default: the curve's mean + 2 standard deviations. */
  threshold?: number;
  /** Events separated by fewer frames than this are one event. */
  mergeGap: number;
  /** Events of fewer frames than this are left out (default 0). */
  minLength?: number;
  /** How many events to keep. */
  top: number;
  /** The curve's per-frame region boxes, when it has them. */
  boxes?: FrameBoxes | null;
}

/**
 * A score curve in a few numbers: its peak and its most prominent events. Scores are normalised
 * per video, so an absolute threshold means little across videos; mean + 2·std flags what stands
 * out within the video (a flat curve has no events, since an event must be strictly above it).
 */
export function summariseCurve(scores: Float32Array, options: SummaryOptions): CurveSummary {
  const frames = scores.length;
  let sum = 0;
  let peakFrame: number | null = null;
  for (let f = 0; f < frames; f++) {
    const s = scores[f] as number;
    sum += s;
    if (peakFrame === null || s > (scores[peakFrame] as number)) peakFrame = f;
  }
  const mean = frames > 0 ? sum / frames : 0;
  let squares = 0;
  for (let f = 0; f < frames; f++) squares += ((scores[f] as number) - mean) ** 2;
  const std = frames > 0 ? Math.sqrt(squares / frames) : 0;
  const threshold = options.threshold ?? mean + 2 * std;
  const boxes = options.boxes ?? null;
  const all = findEvents(scores, { threshold, mergeGap: options.mergeGap, minLength: options.minLength ?? 0, boxes });
  const events = [...all]
    .sort((a, b) => b.peakScore - a.peakScore || a.startFrame - b.startFrame)
    .slice(0, options.top)
    .map(({ peakBox, box, ...event }) => ({ ...event, peakBox: peakBox ?? null, box: box ?? null }));
  return {
    frames,
    mean,
    std,
    peakFrame,
    peakScore: peakFrame === null ? null : (scores[peakFrame] as number),
    peakBox: peakFrame === null || boxes === null ? null : boxAt(boxes, peakFrame),
    threshold,
    eventCount: all.length,
    events,
  };
}
