/**
 * Where the person is in the review queue: positions are 0-based over the whole (filtered,
 * ordered) queue; the Review store holds one loaded window of it.
 */
import type { ReviewItem } from '../../src-main/shared/review.js';

export interface QueueWindow {
  /** Position of items[0] in the queue. */
  offset: number;
  items: readonly ReviewItem[];
  total: number;
  pending: number;
}

export function itemAt(window: QueueWindow, position: number): ReviewItem | null {
  return window.items[position - window.offset] ?? null;
}

export function positionOf(window: QueueWindow, clipId: number): number | null {
  const index = window.items.findIndex((item) => item.clipId === clipId);
  return index < 0 ? null : window.offset + index;
}

export function isLoaded(window: QueueWindow, position: number): boolean {
  return position >= window.offset && position < loadedEnd(window);
}

export function loadedEnd(window: QueueWindow): number {
  return window.offset + window.items.length;
}

/** The first item without a decision at a position in [start, end) that the window holds, else null. */
export function firstPendingBetween(window: QueueWindow, start: number, end: number): number | null {
  const to = Math.min(end, loadedEnd(window));
  for (let p = Math.max(start, window.offset); p < to; p++) {
    if (itemAt(window, p)?.decision === null) return p;
  }
  return null;
}

/**
 * Where to look for the next pending item after a decision at `position`: on to the queue's end,
 * then round from its start back to `position`.
 */
export function pendingSearchRanges(position: number, total: number): [number, number][] {
  return [
    [position + 1, total],
    [0, position],
  ];
}

/** The window with one item replaced by what the core answered, and the pending count adjusted. */
export function withItem(window: QueueWindow, updated: ReviewItem): QueueWindow {
  const index = window.items.findIndex((item) => item.clipId === updated.clipId);
  if (index < 0) return window;
  const before = window.items[index];
  const wasPending = before?.decision === null;
  const isPending = updated.decision === null;
  const items = window.items.slice();
  items[index] = updated;
  return { ...window, items, pending: window.pending + (isPending ? 1 : 0) - (wasPending ? 1 : 0) };
}

/** Where to load a window so `position` sits near its start with a little room to go back. */
export function windowStart(position: number, lookBack: number): number {
  return Math.max(0, position - lookBack);
}
