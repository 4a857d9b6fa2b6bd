import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { onWasmWithoutLeaks } from '../../../../../tests/fixtures/tf-wasm.js';
import { cropTubes } from '../regions/tube-crop.js';
import { middleFrameSamples } from '../tasks/task-samples.js';
import { WindowFrameTensors, type IndexedFrame } from './window-frame-tensors.js';

onWasmWithoutLeaks();

const W = 24;
const H = 16;
/** Frame t: pixel (x, y) has channels (x·10 + t, y·10, 100 + t) — every crop value says where it came from. */
function frame(t: number): IndexedFrame {
  const rgb = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) rgb.set([x * 10 + t, y * 10, 100 + t], (y * W + x) * 3);
  return { index: t, rgb };
}

describe('WindowFrameTensors', () => {
  it('cuts the model input (six frames) and the middle frame as cropTubes would, uploading each frame of overlapping windows once', () => {
    const frames = new WindowFrameTensors(W, H);
    const video = Array.from({ length: 10 }, (_, t) => frame(t));
    const boxes = [{ x: 2, y: 1, width: 8, height: 8 }, { x: 14, y: 6, width: 10, height: 10 }];
    for (const start of [0, 3]) {
      const window = video.slice(start, start + 7);
      frames.releaseBefore(start);
      const ours = frames.cropSamples(window, boxes, 8, 3);
      const tubes = cropTubes({ frames: window.map((f) => f.rgb), width: W, height: H }, boxes, 8);
      const expected = middleFrameSamples(tubes);
      expect(ours.input.shape).toEqual([2, 6, 8, 8, 3]);
      expect(ours.target.shape).toEqual([2, 8, 8, 3]);
      expect(Array.from(ours.input.dataSync())).toEqual(Array.from(expected.input.dataSync()));
      expect(Array.from(ours.target.dataSync())).toEqual(Array.from(expected.target.dataSync()));
      tf.dispose([ours.input, ours.target, tubes, expected.input, expected.target]);
    }
    // Frames 0..2 went when the window moved to 3; 3..9 are held, each once.
    expect(frames.size).toBe(7);
    const none = frames.cropSamples(video.slice(3), [], 8, 3);
    expect([none.input.shape, none.target.shape]).toEqual([[0, 6, 8, 8, 3], [0, 8, 8, 3]]);
    tf.dispose([none.input, none.target]);
    expect(() => frames.cropSamples(video.slice(3, 9), boxes, 8, 3)).toThrow(/odd frame count of at least 3 \(frames either side of the middle one\), got 6/);
    expect(() => frames.cropSamples(video.slice(3, 4), boxes, 8, 3)).toThrow(/at least 3 .*, got 1/);
    frames.dispose();
    expect(frames.size).toBe(0);
  });

  it('gives one luma channel for a grey model and says what is wrong with bad input', () => {
    const frames = new WindowFrameTensors(W, H);
    const window = [frame(0), frame(1), frame(2)];
    const grey = frames.cropSamples(window, [{ x: 4, y: 2, width: 4, height: 4 }], 4, 1);
    expect([grey.input.shape, grey.target.shape]).toEqual([[1, 2, 4, 4, 1], [1, 4, 4, 1]]);
    // Pixel (4, 2) of frame 1, the middle: rgb (41, 20, 101); of frame 2, the input's second frame: (42, 20, 102).
    expect(grey.target.dataSync()[0]).toBeCloseTo((0.299 * 41 + 0.587 * 20 + 0.114 * 101) / 255, 5);
    expect(grey.input.dataSync()[4 * 4]).toBeCloseTo((0.299 * 42 + 0.587 * 20 + 0.114 * 102) / 255, 5);
    tf.dispose([grey.input, grey.target]);
    expect(() => frames.cropSamples(window, [], 4, 2)).toThrow(/takes 2 channels per frame; only 1 \(grey\) or 3 \(rgb\)/);
    expect(() => frames.cropSamples([{ index: 7, rgb: new Uint8Array(5) }, frame(8), frame(9)], [], 4, 3)).toThrow(/frame 7 has 5 bytes, 24×16 rgb24 needs 1152/);
    frames.dispose();
  });
});

describe('WindowFrameTensors along a path', () => {
  it('cuts each frame with its own box of a followed object’s path, as cropTubes does', () => {
    const frames = new WindowFrameTensors(W, H);
    const window = Array.from({ length: 7 }, (_, t) => frame(t));
    const path = Array.from({ length: 7 }, (_, t) => ({ x: 2 + t, y: 1 + (t >> 1), width: 8, height: 8 }));
    const boxes = [path, { x: 14, y: 6, width: 10, height: 10 }];
    const ours = frames.cropSamples(window, boxes, 8, 3);
    const tubes = cropTubes({ frames: window.map((f) => f.rgb), width: W, height: H }, boxes, 8);
    const expected = middleFrameSamples(tubes);
    expect(Array.from(ours.input.dataSync())).toEqual(Array.from(expected.input.dataSync()));
    expect(Array.from(ours.target.dataSync())).toEqual(Array.from(expected.target.dataSync()));
    tf.dispose([ours.input, ours.target, tubes, expected.input, expected.target]);
    expect(() => frames.cropSamples(window, [path.slice(0, 5)], 8, 3)).toThrow(/tube 0 has a path of 5 boxes for a 7-frame window/);
    frames.dispose();
  });
});
