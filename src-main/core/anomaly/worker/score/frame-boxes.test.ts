import { describe, expect, it } from 'vitest';
import { boxAt } from '../../../../shared/anomaly-boxes.js';
import { boxScale, frameBoxes } from './frame-boxes.js';

describe('frameBoxes', () => {
  it('gives each frame the box of the region it took, scaled to the displayed picture, and none where no region did', () => {
    // Regions 0 and 1 in a 320×180 working frame; the video shows 1280×720.
    const regionBoxes = [10, 20, 64, 64, 200, 100, 48, 48];
    const boxes = frameBoxes(Int32Array.from([0, 0, -1, 1]), regionBoxes, boxScale({ width: 320, height: 180 }, { width: 1280, height: 720 }));
    expect([0, 1, 2, 3].map((f) => boxAt(boxes, f))).toEqual([
      { x: 40, y: 80, w: 256, h: 256 },
      { x: 40, y: 80, w: 256, h: 256 },
      null,
      { x: 800, y: 400, w: 192, h: 192 },
    ]);
  });

  it('rounds the edges, so an anamorphic scale keeps the box inside the picture', () => {
    // 720×576 stored with 16:15 pixels shows 768×576 wide; decoded at 320×240.
    const boxes = frameBoxes(Int32Array.from([0]), [256, 176, 64, 64], boxScale({ width: 320, height: 240 }, { width: 768, height: 576 }));
    expect(boxAt(boxes, 0)).toEqual({ x: 614, y: 422, w: 154, h: 154 });
  });

  it('rejects a frame that names a region without a box', () => {
    expect(() => frameBoxes(Int32Array.from([2]), [0, 0, 8, 8], { x: 1, y: 1 })).toThrow('frame 0 took region 2, but there are boxes for 1 regions');
  });
});
