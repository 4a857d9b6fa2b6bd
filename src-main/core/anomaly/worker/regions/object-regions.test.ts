import { describe, expect, it } from 'vitest';
import { findMotionRegions } from './motion-regions.js';
import { findObjectRegions } from './object-regions.js';
import { syntheticWindow, type MovingSquare } from './test-frames.fixture.js';

const scene = { width: 120, height: 80, frames: 7, background: { textureSeed: 7 }, noise: 3, seed: 2 };
const empty = syntheticWindow({ ...scene, frames: 1, noise: 0, squares: [] }).frames[0]!;
const walker = (x: number, y: number, vx: number, extra: Partial<MovingSquare> = {}): MovingSquare => ({ x, y, vx, vy: 0, side: 12, value: 240, ...extra });

describe('findObjectRegions', () => {
  it('boxes a walker where it is in the middle frame, squared and padded', () => {
    const window = syntheticWindow({ ...scene, squares: [walker(20, 30, 2)] });
    const boxes = findObjectRegions(window, empty);
    expect(boxes).toHaveLength(1);
    // Middle frame (t = 3): the square covers x 26..37, y 30..41; its 12 px side padded by 10 % each way.
    const box = boxes[0]!;
    expect(box.width).toBe(box.height);
    expect(box.width).toBeGreaterThanOrEqual(14);
    expect(box.width).toBeLessThanOrEqual(18);
    expect(box.x).toBeLessThanOrEqual(26);
    expect(box.x + box.width).toBeGreaterThanOrEqual(38);
    expect(box.y).toBeLessThanOrEqual(30);
    expect(box.y + box.height).toBeGreaterThanOrEqual(42);
  });

  it('keeps walkers side by side apart, where frame differences join them into one region', () => {
    const window = syntheticWindow({ ...scene, squares: [walker(20, 30, 2), walker(36, 30, 2)] });
    expect(findMotionRegions(window).regions).toHaveLength(1);
    const boxes = findObjectRegions(window, empty);
    expect(boxes).toHaveLength(2);
    const [left, right] = [...boxes].sort((a, b) => a.x - b.x);
    expect(left!.x + left!.width / 2).toBeCloseTo(26 + 6, -1);
    expect(right!.x + right!.width / 2).toBeCloseTo(42 + 6, -1);
  });

  it('leaves out what does not move, is too small or too flat, and lists the largest first', () => {
    const window = syntheticWindow({
      ...scene,
      squares: [
        walker(80, 10, 0), // parked: differs from the background but never moves
        walker(10, 60, 2, { side: 4 }), // 16 px: below minArea
        { x: 60, y: 70, vx: 3, vy: 0, side: 6, value: 240 }, // 6 px tall
        walker(40, 35, 1, { side: 20 }),
        walker(10, 10, -2),
      ],
    });
    const boxes = findObjectRegions(window, empty);
    expect(boxes).toHaveLength(2);
    expect(boxes[0]!.width).toBeGreaterThan(boxes[1]!.width);
    expect(boxes[0]!.y).toBeLessThanOrEqual(35);
    expect(boxes[1]!.y).toBeLessThanOrEqual(10);
    expect(findObjectRegions(window, empty, { minHeight: 0, minArea: 0 })).toHaveLength(4);
  });

  it('finds nothing in an empty scene, and rejects a background of the wrong size', () => {
    expect(findObjectRegions(syntheticWindow({ ...scene, squares: [] }), empty)).toEqual([]);
    const window = syntheticWindow({ ...scene, squares: [] });
    expect(() => findObjectRegions(window, new Uint8Array(10))).toThrow(/the background has 10 pixels, the frames 9600/);
    expect(() => findObjectRegions(window, empty, { minArea: -1 })).toThrow(/minArea must be a number ≥ 0, got -1/);
  });
});
