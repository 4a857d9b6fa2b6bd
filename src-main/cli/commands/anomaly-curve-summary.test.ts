import { describe, expect, it } from 'vitest';
import { emptyFrameBoxes, setBoxAt } from '../../shared/anomaly-boxes.js';
import { summariseCurve } from './anomaly-curve-summary.js';

describe('summariseCurve', () => {
  it('flags what stands out above mean + 2 std, highest peak first, merging short gaps', () => {
    const scores = new Float32Array(100).fill(0.1);
    scores.set([0.9, 1, 0.9], 20); // frames 20-22
    scores.set([0.7], 24); // one frame of gap after 22: merged with it when mergeGap > 1
    scores.set([0.8, 0.8], 60);
    const mean = scores.reduce((a, b) => a + b, 0) / 100;
    const std = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / 100);

    const summary = summariseCurve(scores, { mergeGap: 2, top: 5 });
    expect(summary.frames).toBe(100);
    expect(summary.mean).toBeCloseTo(mean, 6);
    expect(summary.std).toBeCloseTo(std, 6);
    expect(summary.threshold).toBeCloseTo(mean + 2 * std, 6);
    expect([summary.peakFrame, summary.peakScore]).toEqual([21, 1]);
    expect(summary.eventCount).toBe(2);
    expect(summary.events.map((e) => [e.startFrame, e.endFrame, e.peakFrame])).toEqual([
      [20, 24, 21],
      [60, 61, 60],
    ]);

    const apart = summariseCurve(scores, { mergeGap: 0, top: 1 });
    expect(apart.eventCount).toBe(3);
    expect(apart.events).toHaveLength(1);
    expect(apart.events[0]?.peakFrame).toBe(21);
  });

  it('takes a fixed threshold, and finds no event in a flat or empty curve', () => {
    const scores = new Float32Array([0, 0.6, 0.4, 0.7, 0]);
    expect(summariseCurve(scores, { threshold: 0.5, mergeGap: 0, top: 5 }).events.map((e) => e.startFrame)).toEqual([3, 1]);
    const flat = summariseCurve(new Float32Array(10).fill(0.3), { mergeGap: 0, top: 5 });
    expect([flat.std, flat.eventCount, flat.peakFrame]).toEqual([0, 0, 0]);
    const empty = summariseCurve(new Float32Array(0), { mergeGap: 0, top: 5 });
    expect([empty.peakFrame, empty.peakScore, empty.eventCount]).toEqual([null, null, 0]);
  });

  it('gives the peak’s box and each event’s peak box and union box when the curve has boxes, null without', () => {
    const scores = new Float32Array([0, 0.6, 0.9, 0, 0.7, 0]);
    const boxes = emptyFrameBoxes(6);
    setBoxAt(boxes, 1, { x: 10, y: 10, w: 64, h: 64 });
    setBoxAt(boxes, 2, { x: 20, y: 4, w: 64, h: 64 });
    const summary = summariseCurve(scores, { threshold: 0.5, mergeGap: 0, top: 5, boxes });
    expect(summary.peakBox).toEqual({ x: 20, y: 4, w: 64, h: 64 });
    expect(summary.events.map((e) => [e.peakFrame, e.peakBox, e.box])).toEqual([
      [2, { x: 20, y: 4, w: 64, h: 64 }, { x: 10, y: 4, w: 74, h: 70 }],
      [4, null, null],
    ]);
    const without = summariseCurve(scores, { threshold: 0.5, mergeGap: 0, top: 5 });
    expect([without.peakBox, without.events[0]?.peakBox, without.events[0]?.box]).toEqual([null, null, null]);
  });
});
