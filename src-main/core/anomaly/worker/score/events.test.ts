import { describe, expect, it } from 'vitest';
import { emptyFrameBoxes, setBoxAt } from '../../../../shared/anomaly-boxes.js';
import { findEvents } from '../../../../shared/anomaly-events.js';
import { frameScores } from './frame-scores.js';
import { smoothScores } from './smooth.js';

// Frames above 0.5: 1–2 (peak 0.8 at 2), 4–5 (peak 0.9 at 5), 8 (0.55). Gaps: 1 frame (3), 2 frames (6, 7).
const SCORES = [0, 0.6, 0.8, 0.4, 0.7, 0.9, 0.2, 0, 0.55, 0.3];

describe('findEvents', () => {
  it('lists each run above the threshold with its extent and peak', () => {
    expect(findEvents(SCORES, { threshold: 0.5 })).toEqual([
      { startFrame: 1, endFrame: 2, peakFrame: 2, peakScore: 0.8 },
      { startFrame: 4, endFrame: 5, peakFrame: 5, peakScore: 0.9 },
      { startFrame: 8, endFrame: 8, peakFrame: 8, peakScore: 0.55 },
    ]);
  });

  it('merges runs whose gap is shorter than the merge gap, and only those', () => {
    // A gap of 1 frame is not shorter than 1: nothing merges.
    expect(findEvents(SCORES, { threshold: 0.5, mergeGap: 1 })).toHaveLength(3);
    // Gap 1 < 2 merges the first two runs; gap 2 is not < 2.
    expect(findEvents(SCORES, { threshold: 0.5, mergeGap: 2 })).toEqual([
      { startFrame: 1, endFrame: 5, peakFrame: 5, peakScore: 0.9 },
      { startFrame: 8, endFrame: 8, peakFrame: 8, peakScore: 0.55 },
    ]);
    expect(findEvents(SCORES, { threshold: 0.5, mergeGap: 3 })).toEqual([{ startFrame: 1, endFrame: 8, peakFrame: 5, peakScore: 0.9 }]);
  });

  it('counts only scores strictly above the threshold and keeps the first frame of a tied peak', () => {
    expect(findEvents([0.5, 0.5, 0.4], { threshold: 0.5 })).toEqual([]);
    expect(findEvents([0.1, 0.9, 0.9, 0.1], { threshold: 0.5 })).toEqual([{ startFrame: 1, endFrame: 2, peakFrame: 1, peakScore: 0.9 }]);
  });

  it('finds events touching the first and last frame, and none in an empty curve', () => {
    expect(findEvents([1, 1, 0, 0, 2], { threshold: 0.5 })).toEqual([
      { startFrame: 0, endFrame: 1, peakFrame: 0, peakScore: 1 },
      { startFrame: 4, endFrame: 4, peakFrame: 4, peakScore: 2 },
    ]);
    expect(findEvents([], { threshold: 0 })).toEqual([]);
  });

  it('rejects a bad threshold, merge gap or score with a specific message', () => {
    expect(() => findEvents([0], { threshold: NaN })).toThrow('event threshold must be a finite number, got NaN');
    expect(() => findEvents([0], { threshold: 0.5, mergeGap: -1 })).toThrow('event merge gap must be an integer ≥ 0, got -1');
    expect(() => findEvents([0], { threshold: 0.5, mergeGap: 1.5 })).toThrow('got 1.5');
    expect(() => findEvents([0, NaN], { threshold: 0.5 })).toThrow('cannot find events: frame 1 has score NaN');
  });

  it('finds the one anomalous stretch after frame scoring and smoothing', () => {
    // 200 frames, one region per frame from 3 to 196; frames 100–109 have a large middle-frame error.
    const centres = Array.from({ length: 194 }, (_, i) => i + 3);
    const mae = centres.map((f) => (f >= 100 && f < 110 ? 1 : 0.1 + 0.01 * (f % 3)));
    const scored = frameScores({ centres, scores: { 'middle-frame-mae': mae } }, { frameCount: 200, tasks: ['middle-frame-mae'] });
    const smoothed = smoothScores(scored.frame, { sigma: 3 });
    const events = findEvents(smoothed, { threshold: 0.5 });
    expect(events).toHaveLength(1);
    const [event] = events;
    // The smoothed bump is symmetric about the middle of frames 100–109.
    expect(event?.peakFrame === 104 || event?.peakFrame === 105).toBe(true);
    expect(event?.startFrame).toBeGreaterThanOrEqual(97);
    expect(event?.endFrame).toBeLessThanOrEqual(112);
  });

  it('gives each event its peak frame’s box and the union of its frames’ boxes when the boxes are given', () => {
    const boxes = emptyFrameBoxes(SCORES.length);
    setBoxAt(boxes, 1, { x: 10, y: 20, w: 30, h: 30 });
    setBoxAt(boxes, 2, { x: 14, y: 16, w: 30, h: 30 });
    setBoxAt(boxes, 5, { x: 100, y: 0, w: 64, h: 64 });
    // Frame 4 and 8 had no region.
    const events = findEvents(SCORES, { threshold: 0.5, boxes });
    expect(events.map((e) => [e.peakFrame, e.peakBox, e.box])).toEqual([
      [2, { x: 14, y: 16, w: 30, h: 30 }, { x: 10, y: 16, w: 34, h: 34 }],
      [5, { x: 100, y: 0, w: 64, h: 64 }, { x: 100, y: 0, w: 64, h: 64 }],
      [8, null, null],
    ]);
    expect(() => findEvents(SCORES, { threshold: 0.5, boxes: emptyFrameBoxes(3) })).toThrow('3 frame boxes for 10 frames');
  });
});
