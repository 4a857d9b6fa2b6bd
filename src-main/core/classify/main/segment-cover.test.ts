import { describe, expect, it } from 'vitest';
import { segmentCover, type CoverClip } from './segment-cover.js';

/** Clips of 50 frames with a stride of 50 (as the default 2 s window cuts a 25 fps video). */
const TILED: CoverClip[] = [0, 1, 2, 3, 4].map((k) => ({ id: k + 1, startFrame: 50 * k, endFrame: 50 * k + 50 }));
/** Clips of 50 frames with a stride of 25: each overlaps its neighbours by half. */
const OVERLAPPING: CoverClip[] = [0, 1, 2, 3].map((k) => ({ id: k + 1, startFrame: 25 * k, endFrame: 25 * k + 50 }));

const taken = (byClip: Map<number, number>) => Object.fromEntries([...byClip].sort(([a], [b]) => a - b));

describe('segmentCover', () => {
  it('gives a long segment every clip it covers at least half of', () => {
    // Frames 30–170: clip 1 gets 20 of 50 (no), clips 2 and 3 whole, clip 4 gets 20 (no).
    const cover = segmentCover(TILED, [{ startFrame: 30, endFrame: 170, confidence: 0.8 }]);
    expect(taken(cover.byClip)).toEqual({ 2: 0, 3: 0 });
    expect(cover.overlapped).toEqual([4]);
  });

  it('lands a segment shorter than a clip on the clip it overlaps most', () => {
    const cover = segmentCover(TILED, [{ startFrame: 90, endFrame: 110, confidence: 0.5 }]);
    // 10 frames in clip 2, 10 in clip 3: the first one it overlaps most wins; neither is half.
    expect(taken(cover.byClip)).toEqual({ 2: 0 });
  });

  it('maps rows written on the clips themselves back onto their own clips, even when clips overlap', () => {
    const segments = OVERLAPPING.map((c, i) => ({ startFrame: c.startFrame, endFrame: c.endFrame, confidence: 0.1 * (i + 1) }));
    expect(taken(segmentCover(OVERLAPPING, segments).byClip)).toEqual({ 1: 0, 2: 1, 3: 2, 4: 3 });
  });

  it('lets a clip covered twice take the larger overlap, then the higher confidence, then the earlier segment', () => {
    const clip: CoverClip[] = [{ id: 7, startFrame: 0, endFrame: 50 }];
    expect(taken(segmentCover(clip, [
      { startFrame: 0, endFrame: 30, confidence: 0.9 },
      { startFrame: 10, endFrame: 50, confidence: 0.2 },
    ]).byClip)).toEqual({ 7: 1 });
    expect(taken(segmentCover(clip, [
      { startFrame: 0, endFrame: 50, confidence: 0.4 },
      { startFrame: 0, endFrame: 50, confidence: 0.6 },
    ]).byClip)).toEqual({ 7: 1 });
    expect(taken(segmentCover(clip, [
      { startFrame: 0, endFrame: 50, confidence: 0.6 },
      { startFrame: 0, endFrame: 50, confidence: 0.6 },
    ]).byClip)).toEqual({ 7: 0 });
  });

  it('says when a segment overlaps no clip at all', () => {
    const cover = segmentCover([], [{ startFrame: 0, endFrame: 10, confidence: 1 }]);
    expect(cover.byClip.size).toBe(0);
    expect(cover.overlapped).toEqual([0]);
  });
});
