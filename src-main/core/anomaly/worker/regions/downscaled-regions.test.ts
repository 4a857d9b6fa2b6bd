import { describe, expect, it } from 'vitest';
import { Rng } from '../../../engine/random.js';
import { regionsForWindow, shrinkFactor, shrunkGray } from './downscaled-regions.js';
import { rgbToGray } from '../../../imaging/grey.js';
import { gridRegions } from './grid-regions.js';
import { asRgb, syntheticWindow } from './test-frames.fixture.js';
import { windowRegions } from './window-regions.js';

describe('shrinkFactor', () => {
  it('is the smallest whole factor that fits the width', () => {
    expect(shrinkFactor(320, 160)).toBe(2);
    expect(shrinkFactor(320, 240)).toBe(2);
    expect(shrinkFactor(330, 160)).toBe(3);
    expect(shrinkFactor(160, 160)).toBe(1);
    expect(shrinkFactor(100, 160)).toBe(1);
    expect(() => shrinkFactor(320, 0)).toThrow(/regionWidth must be a whole number ≥ 1, got 0/);
  });
});

describe('shrunkGray', () => {
  it('at factor 1 is rgbToGray', () => {
    const rng = new Rng(3);
    const rgb = Uint8Array.from({ length: 7 * 5 * 3 }, () => rng.int(256));
    expect(shrunkGray(rgb, 7, 5, 1)).toEqual(rgbToGray(rgb, 7, 5));
  });

  it('averages factor × factor blocks and leaves out the partial ones', () => {
    // 5×3 grey frame (rgb g,g,g) at factor 2 → 2×1: blocks {0,1,5,6} and {2,3,7,8}; column 4 and row 2 left out.
    const greys = [10, 20, 30, 40, 250, 11, 22, 33, 44, 250, 250, 250, 250, 250, 250];
    const rgb = new Uint8Array(greys.flatMap((g) => [g, g, g]));
    expect(Array.from(shrunkGray(rgb, 5, 3, 2))).toEqual([Math.floor((10 + 20 + 11 + 22) / 4), Math.floor((30 + 40 + 33 + 44) / 4)]);
    expect(() => shrunkGray(rgb, 5, 3, 4)).toThrow(/a 5×3 frame shrunk by 4 has no pixels left/);
  });
});

describe('regionsForWindow', () => {
  const moving = syntheticWindow({
    width: 320,
    height: 180,
    frames: 7,
    background: 40,
    noise: 3,
    squares: [{ x: 100, y: 60, vx: 4, vy: 2, side: 24, value: 220 }],
    seed: 5,
  });

  it('finds the moving square on the shrunk copy and scales its box back to the frame', () => {
    const rgb = asRgb(moving);
    const result = regionsForWindow(rgb, { regionWidth: 160 });
    expect(result.source).toBe('motion');
    expect(result.factor).toBe(2);
    const small = windowRegions({ frames: rgb.frames.map((f) => shrunkGray(f, 320, 180, 2)), width: 160, height: 90 });
    expect(result.boxes).toEqual(small.boxes.map((b) => ({ x: 2 * b.x, y: 2 * b.y, width: 2 * b.width, height: 2 * b.height })));
    expect(result.boxes).toHaveLength(1);
    const box = result.boxes[0]!;
    // The square's path: x 100..148, y 60..96 (top-left moves (4, 2) a frame for 6 frames, side 24).
    expect(box.x).toBeLessThanOrEqual(100);
    expect(box.y).toBeLessThanOrEqual(60);
    expect(box.x + box.width).toBeGreaterThanOrEqual(148);
    expect(box.y + box.height).toBeGreaterThanOrEqual(96);
    expect(box.width).toBe(box.height);
    expect(box.x + box.width).toBeLessThanOrEqual(320);
    expect(box.y + box.height).toBeLessThanOrEqual(180);
  });

  it('falls back to the grid, scaled to the frame, when nothing moves', () => {
    const still = syntheticWindow({ width: 320, height: 180, frames: 7, background: { textureSeed: 2 }, noise: 2, squares: [], seed: 9 });
    const result = regionsForWindow(asRgb(still), { regionWidth: 160 });
    expect(result.source).toBe('grid');
    expect(result.boxes).toEqual(gridRegions(160, 90).map((b) => ({ x: 2 * b.x, y: 2 * b.y, width: 2 * b.width, height: 2 * b.height })));
    const covered = new Uint8Array(320 * 180);
    for (const b of result.boxes) for (let y = b.y; y < b.y + b.height; y++) covered.fill(1, y * 320 + b.x, y * 320 + b.x + b.width);
    expect(covered.every((c) => c === 1)).toBe(true);
  });

  it('a frame already narrow enough is not shrunk; the grey cache is reused across windows', () => {
    const small = syntheticWindow({ width: 120, height: 80, frames: 7, background: 40, noise: 0, squares: [{ x: 30, y: 20, vx: 3, vy: 0, side: 12, value: 200 }], seed: 1 });
    const rgb = asRgb(small);
    const grayCache = new WeakMap<Uint8Array, Uint8Array>();
    const first = regionsForWindow(rgb, { regionWidth: 160, grayCache });
    expect(first.factor).toBe(1);
    expect(first.boxes).toEqual(windowRegions(small).boxes);
    const cached = grayCache.get(rgb.frames[3]!);
    expect(cached).toEqual(small.frames[3]);
    expect(regionsForWindow(rgb, { regionWidth: 160, grayCache })).toEqual(first);
    expect(grayCache.get(rgb.frames[3]!)).toBe(cached);
  });

  it('passes region options through (they are in the shrunk copy\'s pixels)', () => {
    const result = regionsForWindow(asRgb(moving), { regionWidth: 160, regions: { motion: { minSide: 80 } } });
    expect(result.boxes[0]!.width).toBe(160);
  });
});
