import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { onWasmWithoutLeaks } from '../../../../../tests/fixtures/tf-wasm.js';
import { cropTubes, cropTubesFromImages, normalisedBox, type RgbWindow } from './tube-crop.js';

onWasmWithoutLeaks();

const W = 40;
const H = 30;
const BACKGROUND = [50, 60, 70] as const;
const RED = [200, 30, 10] as const;

/** A grey-blue frame with an 8×8 red square whose top-left is (10 + t, 5) in frame t. */
function squareWindow(frames: number): RgbWindow {
  return {
    width: W,
    height: H,
    frames: Array.from({ length: frames }, (_, t) => {
      const rgb = new Uint8Array(W * H * 3);
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const inSquare = x >= 10 + t && x < 18 + t && y >= 5 && y < 13;
          rgb.set(inSquare ? RED : BACKGROUND, (y * W + x) * 3);
        }
      }
      return rgb;
    }),
  };
}

const scaled = (rgb: readonly number[]) => rgb.map((v) => v / 255);

describe('cropTubes', () => {
  it('cuts the square out of every frame of the window, in 0..1', () => {
    const window = squareWindow(3);
    const tubes = cropTubes(window, [{ x: 10, y: 5, width: 8, height: 8 }], 8);
    expect(tubes.shape).toEqual([1, 3, 8, 8, 3]);
    expect(tubes.dtype).toBe('float32');
    const values = tubes.arraySync();
    tubes.dispose();
    // An 8-pixel box resized to 8 copies its pixels: in frame t the square has moved t columns right.
    for (let t = 0; t < 3; t++) {
      for (let r = 0; r < 8; r++) {
        for (let c = 0; c < 8; c++) {
          const want = scaled(c >= t ? RED : BACKGROUND);
          values[0]![t]![r]![c]!.forEach((v, ch) => expect(v).toBeCloseTo(want[ch]!, 5));
        }
      }
    }
  });

  it('resizes each box to S×S, several boxes in one batch', () => {
    const window = squareWindow(2);
    // Box 0 straddles the square's left edge (columns 9..12, upsampled 4 → 16: sample k at x = 9 + k/5);
    // box 1 is pure background (shrunk 20 → 16).
    const tubes = cropTubes(window, [{ x: 9, y: 6, width: 4, height: 4 }, { x: 20, y: 10, width: 20, height: 20 }], 16);
    expect(tubes.shape).toEqual([2, 2, 16, 16, 3]);
    const values = tubes.arraySync();
    tubes.dispose();
    const mix = (share: number) => (BACKGROUND[0] + share * (RED[0] - BACKGROUND[0])) / 255;
    // The square's first column is 10 in frame 0 and 11 in frame 1.
    const wantRed = (t: number, k: number) => {
      const x = 9 + k / 5;
      const edge = 10 + t;
      return x <= edge - 1 ? mix(0) : x >= edge ? mix(1) : mix(x - (edge - 1));
    };
    for (let t = 0; t < 2; t++) {
      for (const row of values[0]![t]!) row.forEach((px, k) => expect(px[0]).toBeCloseTo(wantRed(t, k), 5));
    }
    expect(values[0]![0]![3]![2]![0]).toBeCloseTo(mix(0.4), 5);
    expect(values[0]![1]![3]![7]![0]).toBeCloseTo(mix(0.4), 5);
    for (const frame of values[1]!) for (const row of frame) for (const px of row) px.forEach((v, ch) => expect(v).toBeCloseTo(BACKGROUND[ch]! / 255, 5));
  });

  it('no boxes give an empty batch; bad boxes and frames are specific errors', () => {
    const window = squareWindow(7);
    const empty = cropTubes(window, [], 64);
    expect(empty.shape).toEqual([0, 7, 64, 64, 3]);
    empty.dispose();
    expect(() => cropTubes(window, [{ x: 35, y: 0, width: 8, height: 8 }])).toThrow(/box 0 \(35, 0, 8×8\) is not whole pixels inside the 40×30 frame/);
    expect(() => cropTubes(window, [{ x: 0, y: 0, width: 0, height: 8 }])).toThrow(/box 0/);
    expect(() => cropTubes({ ...window, frames: [new Uint8Array(10)] }, [])).toThrow(/frame 0 has 10 bytes, 40×30 rgb24 needs 3600/);
    expect(() => cropTubes(window, [], 0)).toThrow(/tube size must be a whole number ≥ 1, got 0/);
  });
});

describe('normalisedBox', () => {
  it('puts the first and last samples on the box edge pixels', () => {
    expect(normalisedBox({ x: 0, y: 0, width: 41, height: 31 }, 41, 31)).toEqual([0, 0, 1, 1]);
    expect(normalisedBox({ x: 10, y: 5, width: 8, height: 8 }, 41, 31)).toEqual([5 / 30, 10 / 40, 12 / 30, 17 / 40]);
  });
});

describe('cropTubesFromImages', () => {
  it('gives the same tubes from frames already on the backend (int32 frames too)', () => {
    const window = squareWindow(4);
    const boxes = [{ x: 9, y: 3, width: 12, height: 12 }, { x: 0, y: 0, width: 30, height: 30 }];
    const images = tf.tensor4d(Int32Array.from(window.frames.flatMap((f) => Array.from(f))), [4, H, W, 3], 'int32');
    const fromImages = cropTubesFromImages(images, boxes, 10);
    const fromWindow = cropTubes(window, boxes, 10);
    expect(fromImages.shape).toEqual([2, 4, 10, 10, 3]);
    expect(Array.from(fromImages.dataSync())).toEqual(Array.from(fromWindow.dataSync()));
    expect(() => cropTubesFromImages(images, [{ x: 0, y: 0, width: 41, height: 5 }])).toThrow(/box 0 .* inside the 40×30 frame/);
    tf.dispose([images, fromImages, fromWindow]);
  });
});

describe('cropTubes along a path', () => {
  it('cuts frame t with the path’s box t, so a square the path follows stays put in the tube', () => {
    const window = squareWindow(4);
    // The square's top-left is (10 + t, 5): a path that moves with it, and a still box.
    const path = Array.from({ length: 4 }, (_, t) => ({ x: 8 + t, y: 3, width: 12, height: 12 }));
    const tubes = cropTubes(window, [path, path[0]!], 12);
    const values = tubes.arraySync();
    const redAt = (n: number, t: number) => values[n]![t]!.flatMap((row, y) => row.flatMap((px, x) => (px[0]! > 0.5 ? [[x, y]] : [])));
    // Followed: the same pixels are red in every frame; still: the square walks 3 px across.
    for (let t = 1; t < 4; t++) expect(redAt(0, t)).toEqual(redAt(0, 0));
    expect(redAt(1, 3)[0]![0]! - redAt(1, 0)[0]![0]!).toBe(3);
    tubes.dispose();
    expect(() => cropTubes(window, [path.slice(0, 3)])).toThrow(/tube 0 has a path of 3 boxes for 4 frames/);
    expect(() => cropTubes(window, [[...path.slice(0, 3), { x: 35, y: 0, width: 8, height: 8 }]])).toThrow(/box 0 .* inside the 40×30 frame/);
  });
});
