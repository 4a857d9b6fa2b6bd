import { describe, expect, it } from 'vitest';
import { gridRegions } from './grid-regions.js';
import { syntheticWindow } from './test-frames.fixture.js';
import { windowRegions } from './window-regions.js';

const frame = { width: 80, height: 64, frames: 7, seed: 3 };

describe('windowRegions', () => {
  it('falls back to the fixed grid when a still scene with noise has no motion', () => {
    const window = syntheticWindow({ ...frame, background: { textureSeed: 5 }, noise: 4, squares: [] });
    const regions = windowRegions(window, { grid: { side: 32 } });
    expect(regions.source).toBe('grid');
    expect(regions.boxes).toEqual(gridRegions(80, 64, { side: 32 }));
  });

  it('uses the motion regions when something moves', () => {
    const squares = [{ x: 10, y: 20, vx: 2, vy: 0, side: 10, value: 220 }];
    const window = syntheticWindow({ ...frame, background: { textureSeed: 5 }, noise: 4, squares });
    const regions = windowRegions(window);
    expect(regions.source).toBe('motion');
    expect(regions.boxes).toHaveLength(1);
    const box = regions.boxes[0]!;
    // The square's path (x 10..31, rows 20..29) lies inside the crop.
    expect(box.x <= 10 && box.x + box.width >= 32 && box.y <= 20 && box.y + box.height >= 30).toBe(true);
  });

  it('prefers objects against a background, unless objects are turned off', () => {
    const squares = [{ x: 10, y: 20, vx: 2, vy: 0, side: 10, value: 220 }];
    const window = syntheticWindow({ ...frame, background: { textureSeed: 5 }, noise: 4, squares });
    const background = syntheticWindow({ ...frame, frames: 1, background: { textureSeed: 5 }, noise: 0, squares: [] }).frames[0]!;
    const regions = windowRegions(window, {}, background);
    expect(regions.source).toBe('object');
    expect(regions.boxes).toHaveLength(1);
    // The object's box is where the square is in the middle frame (x 16..25), not its whole path.
    expect(regions.boxes[0]!.x).toBeGreaterThan(10);
    expect(windowRegions(window, { objects: false }, background).source).toBe('motion');
  });
});
