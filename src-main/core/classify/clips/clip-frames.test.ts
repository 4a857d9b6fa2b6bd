import { describe, expect, it } from 'vitest';
import { clipFrameIndices, unionOfFrames } from './clip-frames.js';
import type { ClipRef } from './clip-ref.js';

function clip(startFrame: number, endFrame: number, fps = 25): ClipRef {
  return {
    clipId: 1,
    videoPath: '/v.mp4',
    videoHash: 'h',
    startFrame,
    endFrame,
    startSec: startFrame / fps,
    endSec: endFrame / fps,
    fps,
  };
}

describe('clipFrameIndices', () => {
  it('spreads frames over the centres of equal parts when fps is null', () => {
    expect(clipFrameIndices(clip(0, 16), { frames: 8, size: 8, fps: null })).toEqual([1, 3, 5, 7, 9, 11, 13, 15]);
    expect(clipFrameIndices(clip(50, 100), { frames: 4, size: 8, fps: null })).toEqual([56, 68, 81, 93]);
    // Fewer frames than T: frames repeat rather than leave the clip.
    expect(clipFrameIndices(clip(10, 13), { frames: 6, size: 8, fps: null })).toEqual([10, 10, 11, 11, 12, 12]);
  });

  it('samples at k / fps from the start frame and holds the last frame past the clip end', () => {
    expect(clipFrameIndices(clip(25, 75), { frames: 4, size: 8, fps: 5 })).toEqual([25, 30, 35, 40]);
    expect(clipFrameIndices(clip(0, 12), { frames: 4, size: 8, fps: 5 })).toEqual([0, 5, 10, 11]);
    // 30000/1001 fps at 8 per second: frame times are i·1001/30000, the frame shown at k/8 s.
    const ntsc = 30000 / 1001;
    expect(clipFrameIndices(clip(0, 60, ntsc), { frames: 4, size: 8, fps: 8 })).toEqual([0, 3, 7, 11]);
  });

  it('uses the real frame times of a variable-frame-rate video', () => {
    // 25 frames at 25 fps, then one frame every 0.08 s.
    const times = Float64Array.from({ length: 50 }, (_, i) => (i < 25 ? i / 25 : 1 + (i - 25) * 0.08));
    const vfr = { ...clip(0, 50), fps: 50 / 3 };
    expect(clipFrameIndices(vfr, { frames: 8, size: 8, fps: 4 }, times)).toEqual([0, 6, 12, 18, 25, 28, 31, 34]);
    // Without the times the average rate would put 1.0 s on frame 16.
    expect(clipFrameIndices(vfr, { frames: 8, size: 8, fps: 4 })[4]).toBe(16);
  });

  it('refuses an empty or broken interval', () => {
    expect(() => clipFrameIndices(clip(5, 5), { frames: 2, size: 8, fps: null })).toThrow('empty clip interval [5, 5)');
    expect(() => clipFrameIndices(clip(-1, 5), { frames: 2, size: 8, fps: null })).toThrow('invalid clip interval');
  });

  it('unions the frames of several clips, sorted and distinct', () => {
    expect(unionOfFrames([[5, 1, 3], [3, 9], []])).toEqual([1, 3, 5, 9]);
  });
});
