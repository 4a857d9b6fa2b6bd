/** How the Anomaly view relates events, marks and the playhead (pure). */
import type { AnomalyEvent } from '../../../src-main/shared/anomaly-events.js';
import type { AnomalyMarkDto, AnomalyMarkKind } from '../../../src-main/shared/anomaly.js';

/** Frames [start, end) an event covers (its endFrame is inclusive). */
export function eventSpan(event: AnomalyEvent): { start: number; end: number } {
  return { start: event.startFrame, end: event.endFrame + 1 };
}

/** The kind of the mark that overlaps the event most, or null when none does. */
export function markKindOf(event: AnomalyEvent, marks: readonly AnomalyMarkDto[]): AnomalyMarkKind | null {
  let best: AnomalyMarkKind | null = null;
  let bestOverlap = 0;
  for (const mark of marks) {
    const overlap = Math.min(mark.endFrame, event.endFrame + 1) - Math.max(mark.startFrame, event.startFrame);
    if (overlap > bestOverlap) {
      best = mark.kind;
      bestOverlap = overlap;
    }
  }
  return best;
}

/** The event the frame lies in, or null. */
export function eventAt(events: readonly AnomalyEvent[], frame: number): AnomalyEvent | null {
  return events.find((event) => frame >= event.startFrame && frame <= event.endFrame) ?? null;
}

/**
 * The event → goes to (the first whose peak is after `frame`) or ← goes to (the last whose peak is
 * before it). The view seeks to peaks, so pressing again walks from event to event.
 */
export function neighbourEvent(events: readonly AnomalyEvent[], frame: number, delta: 1 | -1): AnomalyEvent | null {
  if (delta > 0) return events.find((event) => event.peakFrame > frame) ?? null;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i] as AnomalyEvent;
    if (event.peakFrame < frame) return event;
  }
  return null;
}
