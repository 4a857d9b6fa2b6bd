import { describe, expect, it } from 'vitest';
import { BackgroundModel, pixelMedian } from './background-model.js';
import { syntheticWindow } from '../anomaly/worker/regions/test-frames.fixture.js';

describe('pixelMedian', () => {
  it('is the middle value of each pixel over the frames', () => {
    const frames = [Uint8Array.of(9, 0, 200), Uint8Array.of(1, 255, 100), Uint8Array.of(5, 7, 150)];
    expect(Array.from(pixelMedian(frames, 3))).toEqual([5, 7, 150]);
    // An even count takes the lower middle value.
    expect(Array.from(pixelMedian(frames.slice(0, 2), 3))).toEqual([1, 0, 100]);
  });
});

describe('BackgroundModel', () => {
  it('has no background until it has enough samples, one every sampleEvery frames', () => {
    const model = new BackgroundModel(1, { sampleEvery: 5, samples: 5, minSamples: 3 });
    let read = 0;
    const offer = (index: number): void => model.offer(index, () => (read++, Uint8Array.of(index)));
    for (let i = 0; i <= 9; i++) offer(i);
    expect(model.current()).toBeNull();
    expect(read).toBe(2); // frames 0 and 5: the others are never converted
    offer(10);
    expect(Array.from(model.current()!)).toEqual([5]);
  });

  it('ignores frames offered again by overlapping windows', () => {
    const model = new BackgroundModel(1, { sampleEvery: 1, samples: 3, minSamples: 3, refreshEvery: 1 });
    for (const i of [0, 1, 2, 1, 2, 0]) model.offer(i, () => Uint8Array.of(i * 10));
    expect(Array.from(model.current()!)).toEqual([10]);
  });

  it('keeps only the latest samples, so the background follows a change of scene', () => {
    const model = new BackgroundModel(1, { sampleEvery: 1, samples: 3, minSamples: 1, refreshEvery: 1 });
    for (let i = 0; i < 3; i++) model.offer(i, () => Uint8Array.of(50));
    expect(Array.from(model.current()!)).toEqual([50]);
    for (let i = 3; i < 5; i++) model.offer(i, () => Uint8Array.of(200));
    expect(Array.from(model.current()!)).toEqual([200]);
  });

  it('sees through a walker: the median of frames where it passes is the empty scene', () => {
    const spec = { width: 40, height: 20, frames: 30, background: { textureSeed: 4 }, noise: 0, seed: 1 };
    const empty = syntheticWindow({ ...spec, frames: 1, squares: [] }).frames[0]!;
    const walk = syntheticWindow({ ...spec, squares: [{ x: 0, y: 5, vx: 1, vy: 0, side: 8, value: 255 }] });
    const model = new BackgroundModel(40 * 20, { sampleEvery: 3, samples: 9, minSamples: 5 });
    walk.frames.forEach((frame, i) => model.offer(i, () => frame));
    expect(model.current()).toEqual(empty);
  });

  it('rejects a frame of the wrong size and bad options', () => {
    const model = new BackgroundModel(4, { sampleEvery: 1 });
    expect(() => model.offer(0, () => new Uint8Array(3))).toThrow(/frame 0 has 3 pixels, the background 4/);
    expect(() => new BackgroundModel(4, { sampleEvery: 0 })).toThrow(/sampleEvery must be a whole number ≥ 1, got 0/);
    expect(() => new BackgroundModel(4, { samples: 3, minSamples: 5 })).toThrow(/minSamples \(5\) is more than the ring holds \(3\)/);
  });
});
