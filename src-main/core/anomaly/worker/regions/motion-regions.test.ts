import { describe, expect, it } from 'vitest';
import { rgbToGray } from '../../../imaging/grey.js';
import { findMotionRegions } from './motion-regions.js';
import { squareBox } from './pixel-box.js';
import { syntheticWindow, type MovingSquare } from './test-frames.fixture.js';

const square = (s: Partial<MovingSquare>): MovingSquare => ({ x: 10, y: 20, vx: 2, vy: 0, side: 10, value: 220, ...s });
const frame = { width: 80, height: 64, frames: 7, seed: 1 };

describe('findMotionRegions', () => {
  it('finds a moving square: bounds of where it moved over the 7 frames, squared and padded', () => {
    // The 10×10 square goes from x = 10 to x = 22 (2 px a frame): it changes pixels x 10..31, rows 20..29.
    const window = syntheticWindow({ ...frame, background: 100, noise: 3, squares: [square({})] });
    const found = findMotionRegions(window);
    // The noise never changes a pixel by more than 6: the threshold stays at its floor.
    expect(found.threshold).toBe(15);
    expect(found.regions).toHaveLength(1);
    const region = found.regions[0]!;
    expect(region.motion).toEqual({ x: 10, y: 20, width: 22, height: 10 });
    // Each of the 6 frame pairs changes a 2-px strip at the back and the front: 2 × 2 × 10 pixels.
    expect(region.changedPixels).toBe(240);
    // Side ⌈22 × 1.5⌉ = 33 around the centre (21, 25): top-left (round(4.5), round(8.5)).
    expect(region.box).toEqual({ x: 5, y: 9, width: 33, height: 33 });
  });

  it('keeps the square inside the frame near a corner by shifting it, not cutting it', () => {
    const window = syntheticWindow({ ...frame, background: 100, noise: 3, squares: [square({ x: 56, y: 50 })] });
    const region = findMotionRegions(window).regions[0]!;
    expect(region.motion).toEqual({ x: 56, y: 50, width: 22, height: 10 });
    expect(region.box).toEqual({ x: 80 - 33, y: 64 - 33, width: 33, height: 33 });
  });

  it('raises the threshold with the noise so strong sensor noise is no motion, and still finds the square', () => {
    // ±20 noise: differences up to 40; the square (contrast 160) still differs by at least 120.
    const noisy = { ...frame, background: 60, noise: 20 };
    const still = findMotionRegions(syntheticWindow({ ...noisy, squares: [] }));
    expect(still.threshold).toBeGreaterThan(40);
    expect(still.noiseSigma).toBeGreaterThan(10);
    expect(still.regions).toEqual([]);
    // The floor alone would take that noise for motion.
    expect(findMotionRegions(syntheticWindow({ ...noisy, squares: [] }), { threshold: 15 }).regions.length).toBeGreaterThan(0);
    const moving = findMotionRegions(syntheticWindow({ ...noisy, squares: [square({})] }));
    expect(moving.regions.map((r) => r.motion)).toEqual([{ x: 10, y: 20, width: 22, height: 10 }]);
  });

  it('finds nothing in a still random texture with mild noise', () => {
    const window = syntheticWindow({ ...frame, background: { textureSeed: 7 }, noise: 3, squares: [] });
    expect(findMotionRegions(window).regions).toEqual([]);
  });

  it('gives one region per moving thing, the most motion first, capped by maxRegions', () => {
    const squares = [square({ x: 4, y: 4, side: 8 }), square({ x: 60, y: 30, vx: 0, vy: 2, side: 12, value: 10 })];
    const window = syntheticWindow({ ...frame, background: 100, noise: 3, squares });
    const found = findMotionRegions(window, { padding: 0, minSide: 1 });
    // The second square moves down 2 px a frame: rows 30..53 change, 6 pairs × 2 strips × 2 × 12 pixels.
    expect(found.regions.map((r) => [r.motion, r.changedPixels])).toEqual([
      [{ x: 60, y: 30, width: 12, height: 24 }, 288],
      [{ x: 4, y: 4, width: 20, height: 8 }, 192],
    ]);
    // Centres (66, 42) and (14, 8): the second square would start at y = −2, so it shifts down to 0.
    expect(found.regions.map((r) => r.box)).toEqual([
      { x: 54, y: 30, width: 24, height: 24 },
      { x: 4, y: 0, width: 20, height: 20 },
    ]);
    expect(findMotionRegions(window, { maxRegions: 1 }).regions.map((r) => r.changedPixels)).toEqual([288]);
  });

  it('joins the front and back edges of a plain object moving less than its size into one region', () => {
    // A 20-px square moving 2 px a frame to the left: x 188..199 and 208..219 change, x 200..207 never does.
    const window = syntheticWindow({ ...frame, width: 240, height: 140, background: 100, noise: 3, squares: [square({ x: 200, y: 60, vx: -2, side: 20 })] });
    expect(findMotionRegions(window).regions.map((r) => [r.motion, r.changedPixels])).toEqual([[{ x: 188, y: 60, width: 32, height: 20 }, 480]]);
    expect(findMotionRegions(window, { linkGap: 0 }).regions.map((r) => r.motion)).toEqual([
      { x: 188, y: 60, width: 12, height: 20 },
      { x: 208, y: 60, width: 12, height: 20 },
    ]);
  });

  it('drops blobs with fewer changed pixels than minArea', () => {
    // A 3×3 square moving 1 px a frame changes 2 × 3 pixels per pair: below the default 12.
    const window = syntheticWindow({ ...frame, background: 100, noise: 0, squares: [square({ side: 3, vx: 1 })] });
    expect(findMotionRegions(window).regions).toEqual([]);
    expect(findMotionRegions(window, { minArea: 6 }).regions.map((r) => r.motion)).toEqual([{ x: 10, y: 20, width: 9, height: 3 }]);
  });

  it('rejects bad windows and options with specific errors', () => {
    const one = { frames: [new Uint8Array(4)], width: 2, height: 2 };
    expect(() => findMotionRegions(one)).toThrow('at least 2 frames, got 1');
    const short = { frames: [new Uint8Array(4), new Uint8Array(3)], width: 2, height: 2 };
    expect(() => findMotionRegions(short)).toThrow('frame 1 has 3 bytes, 2×2 grayscale needs 4');
    const ok = { frames: [new Uint8Array(4), new Uint8Array(4)], width: 2, height: 2 };
    expect(() => findMotionRegions(ok, { dilation: 1.5 })).toThrow('dilation must be a whole number ≥ 0, got 1.5');
    expect(() => findMotionRegions(ok, { threshold: Number.NaN })).toThrow('threshold must be a number ≥ 0');
  });
});

describe('squareBox', () => {
  it('grows a small box to minSide and shifts it in from the top-left edge', () => {
    expect(squareBox({ x: 2, y: 3, width: 4, height: 6 }, 100, 50, { padding: 0.25, minSide: 32 })).toEqual({ x: 0, y: 0, width: 32, height: 32 });
  });

  it('shrinks a square wider than the frame to its shorter side', () => {
    expect(squareBox({ x: 0, y: 10, width: 90, height: 20 }, 100, 50, { padding: 0, minSide: 1 })).toEqual({ x: 20, y: 0, width: 50, height: 50 });
  });
});

describe('rgbToGray', () => {
  it('weights R, G, B as 77, 150, 29 (/256)', () => {
    const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]);
    expect(Array.from(rgbToGray(rgb, 2, 2))).toEqual([76, 149, 28, 255]);
    expect(() => rgbToGray(rgb, 2, 3)).toThrow('needs 18 bytes, got 12');
  });
});
