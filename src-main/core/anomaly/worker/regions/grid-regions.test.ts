import { describe, expect, it } from 'vitest';
import { gridRegions } from './grid-regions.js';
import type { PixelBox } from './pixel-box.js';

function coverage(boxes: PixelBox[], width: number, height: number): Uint8Array {
  const covered = new Uint8Array(width * height);
  for (const b of boxes) {
    for (let y = b.y; y < b.y + b.height; y++) for (let x = b.x; x < b.x + b.width; x++) covered[y * width + x] = 1;
  }
  return covered;
}

describe('gridRegions', () => {
  it('tiles a frame that divides evenly without overlap', () => {
    const boxes = gridRegions(64, 32, { side: 16 });
    expect(boxes.map((b) => [b.x, b.y])).toEqual([
      [0, 0], [16, 0], [32, 0], [48, 0],
      [0, 16], [16, 16], [32, 16], [48, 16],
    ]);
    expect(boxes.every((b) => b.width === 16 && b.height === 16)).toBe(true);
  });

  it('by default uses a third of the shorter side and spreads overlapping cells evenly to cover everything', () => {
    // 80×64: side round(64 / 3) = 21; 4 columns from 0 to 59, 4 rows from 0 to 43.
    const boxes = gridRegions(80, 64);
    expect(boxes).toHaveLength(16);
    expect([...new Set(boxes.map((b) => b.x))]).toEqual([0, 20, 39, 59]);
    expect([...new Set(boxes.map((b) => b.y))]).toEqual([0, 14, 29, 43]);
    expect(boxes.every((b) => b.width === 21 && b.height === 21 && b.x + 21 <= 80 && b.y + 21 <= 64)).toBe(true);
    expect(coverage(boxes, 80, 64).every((c) => c === 1)).toBe(true);
  });

  it('caps the side at the shorter side of the frame', () => {
    expect(gridRegions(50, 20, { side: 64 })).toEqual([
      { x: 0, y: 0, width: 20, height: 20 },
      { x: 15, y: 0, width: 20, height: 20 },
      { x: 30, y: 0, width: 20, height: 20 },
    ]);
  });

  it('rejects bad sizes', () => {
    expect(() => gridRegions(0, 10)).toThrow('whole positive pixels, got 0×10');
    expect(() => gridRegions(10, 10, { side: 2.5 })).toThrow('side must be a whole number ≥ 1, got 2.5');
  });
});
