import { describe, expect, it } from 'vitest';
import { asRgb, syntheticWindow } from './test-frames.fixture.js';
import { VideoRegionFinder, type VideoRegionOptions } from './video-regions.js';

// 320 × 160 footage (found on a 160 × 80 copy): two walkers, one a little above the other, crossing a textured scene.
const video = asRgb(
  syntheticWindow({
    width: 320,
    height: 160,
    frames: 90,
    background: { textureSeed: 3 },
    noise: 2,
    seed: 8,
    squares: [
      { x: 10, y: 40, vx: 2, vy: 0, side: 24, value: 235 },
      { x: 14, y: 72, vx: 2, vy: 0, side: 24, value: 235 },
    ],
  }),
);
const frames = video.frames.map((rgb, index) => ({ index, rgb }));

/** The finder's regions for 7-frame windows every `stride` frames, in order. */
function scan(options: VideoRegionOptions = {}, stride = 6): ReturnType<VideoRegionFinder['find']>[] {
  const finder = new VideoRegionFinder(video.width, video.height, options);
  const out = [];
  for (let start = 0; start + 7 <= frames.length; start += stride) out.push(finder.find(frames.slice(start, start + 7)));
  return out;
}

describe('VideoRegionFinder', () => {
  it('uses motion regions until it has a background, then one region per walker', () => {
    const found = scan();
    // Samples at frames 0, 5, …, 40: the ninth arrives with the window starting at 36.
    expect(found.slice(0, 6).every((f) => f.source === 'motion' && f.boxes.length === 1)).toBe(true);
    const later = found.slice(6);
    expect(later.every((f) => f.source === 'object' && f.boxes.length === 2)).toBe(true);
    // Window 10 (frames 60..66): the walkers' middle-frame left edges are at x 10 + 2·63 and 14 + 2·63, 24 px wide.
    const [upper, lower] = [...found[10]!.boxes].sort((a, b) => a.y - b.y);
    for (const [box, left, top] of [[upper!, 136, 40], [lower!, 140, 72]] as const) {
      expect(box.x).toBeLessThanOrEqual(left);
      expect(box.x + box.width).toBeGreaterThanOrEqual(left + 24);
      expect(box.y).toBeLessThanOrEqual(top);
      expect(box.y + box.height).toBeGreaterThanOrEqual(top + 24);
      expect(box.width).toBeLessThan(40);
    }
    expect(found[10]!.factor).toBe(2);
  });

  it('finds the same regions whether windows overlap or not', () => {
    const byThree = scan({}, 3);
    const bySix = scan({}, 6);
    // Windows starting at 60: the background saw the same samples (0..65) either way.
    expect(byThree[20]!.boxes).toEqual(bySix[10]!.boxes);
  });

  it('primed, it has a background from the first window on, and passes every frame on in order', async () => {
    const finder = new VideoRegionFinder(video.width, video.height);
    async function* decode(count: number): AsyncGenerator<(typeof frames)[number]> {
      for (const frame of frames.slice(0, count)) yield await Promise.resolve(frame);
    }
    const passed = [];
    let first: ReturnType<VideoRegionFinder['find']> | null = null;
    for await (const frame of finder.primed(decode(90))) {
      passed.push(frame);
      if (passed.length === 7) first = finder.find(passed);
    }
    expect(passed).toEqual(frames);
    expect(first?.source).toBe('object');
    expect(first?.boxes).toHaveLength(2);

    const short = [];
    for await (const frame of new VideoRegionFinder(video.width, video.height).primed(decode(20))) short.push(frame.index);
    expect(short).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('keeps to motion regions when objects are turned off', () => {
    expect(scan({ regions: { objects: false } }).every((f) => f.source === 'motion')).toBe(true);
  });
});
