/**
 * The Review view's pure logic: where the person is in the queue, which clip a decision moves on
 * to, what a class key means, how the filter form reads, and how decisions read.
 */
import { describe, expect, it } from 'vitest';
import type { ReviewDecision, ReviewItem } from '../../src-main/shared/review.js';
import { buildFilter, fieldsOf, parseConfidence, sameFilter } from '../../src-renderer/features/review/review-filter.js';
import { actionForClass, decisionText, positionText, sortedProbs } from '../../src-renderer/features/review/review-queue.js';
import {
  firstPendingBetween,
  isLoaded,
  itemAt,
  pendingSearchRanges,
  positionOf,
  windowStart,
  withItem,
  type QueueWindow,
} from '../../src-renderer/state/review-window.js';

const ACCEPTED: ReviewDecision = { action: 'accept', classId: 1, at: '2025-01-01T00:00:00Z' };

function item(clipId: number, decision: ReviewDecision | null = null): ReviewItem {
  return {
    clipId,
    videoId: 1,
    videoName: 'v.mp4',
    startFrame: clipId * 10,
    endFrame: clipId * 10 + 10,
    startSec: clipId,
    endSec: clipId + 1,
    predictedClassId: 1,
    confidence: 0.7,
    margin: 0.4,
    entropy: 0.6,
    uncertainty: null,
    mutualInfo: null,
    score: 0.3,
    probs: [
      { classId: 1, p: 0.7 },
      { classId: 2, p: 0.2 },
      { classId: 3, p: 0.1 },
    ],
    decision,
    labelClassId: decision ? decision.classId : null,
    rejectedClassIds: [],
  };
}

/** Positions 10..14 of a 30-item queue: 11 and 13 decided. */
const window: QueueWindow = {
  offset: 10,
  items: [item(100), item(101, ACCEPTED), item(102), item(103, ACCEPTED), item(104)],
  total: 30,
  pending: 20,
};

describe('queue positions', () => {
  it('finds items by position and clip', () => {
    expect(itemAt(window, 12)?.clipId).toBe(102);
    expect(itemAt(window, 9)).toBeNull();
    expect(itemAt(window, 15)).toBeNull();
    expect(positionOf(window, 103)).toBe(13);
    expect(positionOf(window, 999)).toBeNull();
    expect(isLoaded(window, 10)).toBe(true);
    expect(isLoaded(window, 14)).toBe(true);
    expect(isLoaded(window, 15)).toBe(false);
  });

  it('says where the person is, counting from one', () => {
    expect(positionText(12, 30, 20)).toBe('13 of 30 · 20 pending');
    expect(positionText(null, 0, 0)).toBe('0 of 0 · 0 pending');
  });

  it('loads a window with a little room to go back, never before the start', () => {
    expect(windowStart(50, 20)).toBe(30);
    expect(windowStart(5, 20)).toBe(0);
  });
});

describe('the next pending clip', () => {
  it('skips decided clips in the loaded window', () => {
    expect(firstPendingBetween(window, 11, 30)).toBe(12);
    expect(firstPendingBetween(window, 13, 30)).toBe(14);
    expect(firstPendingBetween(window, 13, 14)).toBeNull();
  });

  it('finds nothing outside the window (the caller loads the next page)', () => {
    expect(firstPendingBetween(window, 15, 30)).toBeNull();
    expect(firstPendingBetween(window, 0, 10)).toBeNull();
  });

  it('searches on to the end, then round from the start back to the clip', () => {
    expect(pendingSearchRanges(12, 30)).toEqual([
      [13, 30],
      [0, 12],
    ]);
    expect(pendingSearchRanges(29, 30)).toEqual([
      [30, 30],
      [0, 29],
    ]);
  });
});

describe('patching a decision into the window', () => {
  it('replaces the item and counts pending down', () => {
    const after = withItem(window, item(102, ACCEPTED));
    expect(itemAt(after, 12)?.decision).toEqual(ACCEPTED);
    expect(after.pending).toBe(19);
    expect(window.pending).toBe(20);
  });

  it('counts pending up when a decision disappears, and ignores clips not loaded', () => {
    expect(withItem(window, item(101)).pending).toBe(21);
    expect(withItem(window, item(999, ACCEPTED))).toBe(window);
  });
});

describe('class keys and display', () => {
  it('the predicted class accepts, any other corrects', () => {
    expect(actionForClass(item(1), 1)).toBe('accept');
    expect(actionForClass(item(1), 2)).toBe('correct');
  });

  it('orders the probability bars from the likeliest', () => {
    const shuffled = { ...item(1), probs: [{ classId: 3, p: 0.1 }, { classId: 1, p: 0.7 }, { classId: 2, p: 0.2 }] };
    expect(sortedProbs(shuffled).map((p) => p.classId)).toEqual([1, 2, 3]);
  });

  it('words each decision', () => {
    const names = (id: number) => ['', 'walk', 'run'][id] ?? '?';
    expect(decisionText(null, names)).toBe('Pending');
    expect(decisionText(ACCEPTED, names)).toBe('Accepted as walk');
    expect(decisionText({ ...ACCEPTED, action: 'correct', classId: 2 }, names)).toBe('Corrected to run');
    expect(decisionText({ ...ACCEPTED, action: 'reject' }, names)).toBe('Rejected: not walk');
  });
});

describe('the filter form', () => {
  it('reads confidences as fractions or percentages', () => {
    expect(parseConfidence('0.9', 'x')).toEqual({ ok: true, value: 0.9 });
    expect(parseConfidence('.5', 'x')).toEqual({ ok: true, value: 0.5 });
    expect(parseConfidence('90 %', 'x')).toEqual({ ok: true, value: 0.9 });
    expect(parseConfidence('85', 'x')).toEqual({ ok: true, value: 0.85 });
    expect(parseConfidence('abc', 'Lowest')).toEqual({ ok: false, message: 'Lowest: “abc” is not a number.' });
    expect(parseConfidence('', 'Lowest')).toEqual({ ok: false, message: 'Lowest: enter a number between 0 and 1.' });
    expect(parseConfidence('150', 'Lowest').ok).toBe(false);
  });

  it('builds the shared filter and refuses a range upside down', () => {
    const fields = { classId: 2, videoId: null, minConfidence: '0.2', maxConfidence: '0.8', includeReviewed: false, clipIds: null };
    expect(buildFilter(fields)).toEqual({
      ok: true,
      filter: { classIds: [2], minConfidence: 0.2, maxConfidence: 0.8, includeReviewed: false },
    });
    expect(buildFilter({ ...fields, minConfidence: '0.9' })).toEqual({
      ok: false,
      message: 'The lowest confidence is above the highest.',
    });
  });

  it('round-trips a stored filter through the fields', () => {
    const stored = { classIds: [3], videoId: 7, minConfidence: 0.1, maxConfidence: 1, includeReviewed: true };
    const built = buildFilter(fieldsOf(stored));
    expect(built.ok && sameFilter(built.filter, stored)).toBe(true);
    expect(sameFilter(stored, { ...stored, videoId: undefined })).toBe(false);
  });

  it('keeps the clips of a confusion-matrix cell while the other fields change', () => {
    const cell = { clipIds: [4, 9], minConfidence: 0, maxConfidence: 1, includeReviewed: true };
    const fields = { ...fieldsOf(cell), minConfidence: '0.5' };
    expect(buildFilter(fields)).toEqual({ ok: true, filter: { ...cell, minConfidence: 0.5 } });
    expect(sameFilter(cell, { ...cell, clipIds: [4] })).toBe(false);
  });
});
