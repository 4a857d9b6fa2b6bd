import { describe, expect, it } from 'vitest';
import { followObject, iou, smoothPath } from './follow-objects.js';
import { squareBox, type PixelBox } from './pixel-box.js';

const frame = { width: 200, height: 100 };
const square = { padding: 0.1, minSide: 16 };
/** A walker 8 px wide and 20 px tall whose left edge is at x0 + vx·t in frame t. */
const walker = (t: number, x0: number, vx: number): PixelBox => ({ x: x0 + vx * t, y: 40, width: 8, height: 20 });
const centreX = (b: PixelBox): number => b.x + b.width / 2;
const contains = (outer: PixelBox, inner: PixelBox): boolean =>
  outer.x <= inner.x && outer.y <= inner.y && outer.x + outer.width >= inner.x + inner.width && outer.y + outer.height >= inner.y + inner.height;

describe('followObject', () => {
  it('follows a walker frame by frame with one square side, where the middle frame’s box loses it', () => {
    const truth = Array.from({ length: 7 }, (_, t) => walker(t, 40, 4));
    const blobs = truth.map((b, t) => [b, { x: 150, y: 5, width: 10, height: 10 + t }]);
    const followed = followObject(truth[3]!, 3, blobs, frame, square);
    expect(followed.kind).toBe('tracked');
    expect(new Set(followed.path.map((b) => `${b.width}×${b.height}`))).toEqual(new Set(['24×24']));
    followed.path.forEach((box, t) => {
      expect(contains(box, truth[t]!)).toBe(true);
      // Steady motion is kept exactly: the crop's centre is the walker's.
      expect(Math.abs(centreX(box) - centreX(truth[t]!))).toBeLessThanOrEqual(0.5);
    });
    const middle = squareBox(truth[3]!, frame.width, frame.height, square);
    expect(contains(middle, truth[0]!) || contains(middle, truth[6]!)).toBe(false);
  });

  it('links a fast walker whose boxes do not overlap by its centre, but not a blob too far away', () => {
    const fast = Array.from({ length: 7 }, (_, t) => walker(t, 10, 12));
    expect(iou(fast[0]!, fast[1]!)).toBe(0);
    expect(followObject(fast[3]!, 3, fast.map((b) => [b]), frame, square).kind).toBe('tracked');
    // Jumping 30 px a frame is more than 0.75 × its 20 px: no link, only its middle frame is known.
    const jumping = Array.from({ length: 7 }, (_, t) => walker(t, 5, 30));
    const lost = followObject(jumping[3]!, 3, jumping.map((b) => [b]), frame, square);
    expect(lost.kind).toBe('middle');
    expect(lost.path).toEqual(Array.from({ length: 7 }, () => squareBox(jumping[3]!, frame.width, frame.height, square)));
  });

  it('smooths jitter out of the path without shifting steady motion', () => {
    expect(smoothPath([0, 1, 2, 3, 4, 5, 6], 2)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const jitter = [10, 14, 10, 14, 10, 14, 10];
    const smoothed = smoothPath(jitter, 2);
    const spread = (xs: number[]) => Math.max(...xs.slice(1, -1)) - Math.min(...xs.slice(1, -1));
    expect(spread(smoothed)).toBeLessThan(spread(jitter) / 2);
    const shaky = jitter.map((x) => ({ x, y: 40, width: 8, height: 20 }));
    const path = followObject(shaky[3]!, 3, shaky.map((b) => [b]), frame, square).path;
    expect(spread(path.map((b) => b.x))).toBeLessThanOrEqual(2);
  });

  it('falls back to the union of the frames it was linked in when it is lost within the window', () => {
    const truth = Array.from({ length: 7 }, (_, t) => walker(t, 40, 4));
    // Gone in frame 1 (hidden behind something): frames 2..6 link, frame 0 is never reached.
    const blobs = truth.map((b, t) => (t === 1 ? [] : [b]));
    const followed = followObject(truth[3]!, 3, blobs, frame, square);
    expect(followed.kind).toBe('union');
    const box = followed.path[0]!;
    expect(followed.path.every((b) => b === box)).toBe(true);
    for (const t of [2, 3, 4, 5, 6]) expect(contains(box, truth[t]!)).toBe(true);
    expect(box.width).toBe(box.height);
  });

  it('holds the last place seen outside the frames it must be linked in (a training tube’s outer frames)', () => {
    const truth = Array.from({ length: 19 }, (_, t) => walker(t, 40, 4));
    const blobs = truth.map((b, t) => (t < 4 || t > 15 ? [] : [b]));
    const followed = followObject(truth[9]!, 9, blobs, frame, square, {}, { first: 6, last: 12 });
    expect(followed.kind).toBe('tracked');
    expect(followed.path).toHaveLength(19);
    for (let t = 6; t <= 12; t++) expect(contains(followed.path[t]!, truth[t]!)).toBe(true);
    expect(followed.path[0]!.x).toBe(followed.path[1]!.x);
    expect(followed.path[18]!.x).toBe(followed.path[17]!.x);
    // The same object lost inside the window's frames is not followed.
    expect(followObject(truth[9]!, 9, blobs, frame, square, {}, { first: 2, last: 16 }).kind).toBe('union');
  });

  it('says what is wrong with bad options', () => {
    const blobs = [[walker(0, 0, 0)], [walker(0, 0, 0)], [walker(0, 0, 0)]];
    expect(() => followObject(walker(0, 0, 0), 3, blobs, frame, square)).toThrow(/middle frame 3 is not one of the span's 3 frames/);
    expect(() => followObject(walker(0, 0, 0), 1, blobs, frame, square, { minIoU: 0 })).toThrow(/minIoU must be in \(0, 1\], got 0/);
    expect(() => followObject(walker(0, 0, 0), 1, blobs, frame, square, { smoothRadius: 1.5 })).toThrow(/smoothRadius must be a whole number/);
    expect(() => followObject(walker(0, 0, 0), 1, blobs, frame, square, {}, { first: 2, last: 2 })).toThrow(/must hold the middle frame 1/);
  });
});
