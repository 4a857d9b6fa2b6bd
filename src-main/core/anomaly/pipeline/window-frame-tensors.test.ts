import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { onWasmWithoutLeaks } from '../../../../tests/fixtures/tf-wasm.js';
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
  it('cuts the same tubes as cropTubes, uploading each frame of overlapping windows once', () => {
    const frames = new WindowFrameTensors(W, H);
    const video = Array.from({ length: 10 }, (_, t) => frame(t));
    const boxes = [{ x: 2, y: 1, width: 8, height: 8 }, { x: 14, y: 6, width: 10, height: 10 }];
    for (const start of [0, 3]) {
      const window = video.slice(start, start + 7);
      frames.releaseBefore(start);
      const ours = frames.crop(window, boxes, 8, 3);
      const reference = cropTubes({ frames: window.map((f) => f.rgb), width: W, height: H }, boxes, 8);
      expect(ours.shape).toEqual([2, 7, 8, 8, 3]);
      expect(Array.from(ours.dataSync())).toEqual(Array.from(reference.dataSync()));
      tf.dispose([ours, reference]);
    }
    // Frames 0..2 went when the window moved to 3; 3..9 are held, each once.
    expect(frames.size).toBe(7);
    frames.dispose();
    expect(frames.size).toBe(0);
  });

  it('cuts the model input (six frames) and the middle frame straight, equal to gathering them from the tube', () => {
    const frames = new WindowFrameTensors(W, H);
    const window = Array.from({ length: 7 }, (_, t) => frame(t));
    const boxes = [{ x: 2, y: 1, width: 8, height: 8 }, { x: 14, y: 6, width: 10, height: 10 }];
    for (const channels of [3, 1]) {
      const tubes = frames.crop(window, boxes, 8, channels);
      const expected = middleFrameSamples(tubes);
      const ours = frames.cropSamples(window, boxes, 8, channels);
      expect(ours.input.shape).toEqual([2, 6, 8, 8, channels]);
      expect(ours.target.shape).toEqual([2, 8, 8, channels]);
      expect(Array.from(ours.input.dataSync())).toEqual(Array.from(expected.input.dataSync()));
      expect(Array.from(ours.target.dataSync())).toEqual(Array.from(expected.target.dataSync()));
      tf.dispose([tubes, expected.input, expected.target, ours.input, ours.target]);
    }
    const none = frames.cropSamples(window, [], 8, 3);
    expect([none.input.shape, none.target.shape]).toEqual([[0, 6, 8, 8, 3], [0, 8, 8, 3]]);
    tf.dispose([none.input, none.target]);
    expect(() => frames.cropSamples(window.slice(0, 6), boxes, 8, 3)).toThrow(/odd frame count so its middle frame is defined, got 6/);
    frames.dispose();
  });

  it('gives one luma channel for a grey model and says what is wrong with bad input', () => {
    const frames = new WindowFrameTensors(W, H);
    const window = [frame(0), frame(1), frame(2)];
    const grey = frames.crop(window, [{ x: 4, y: 2, width: 4, height: 4 }], 4, 1);
    expect(grey.shape).toEqual([1, 3, 4, 4, 1]);
    // Pixel (4, 2) of frame 1: rgb (41, 20, 101).
    expect(grey.dataSync()[4 * 4]).toBeCloseTo((0.299 * 41 + 0.587 * 20 + 0.114 * 101) / 255, 5);
    grey.dispose();
    expect(() => frames.crop(window, [], 4, 2)).toThrow(/takes 2 channels per frame; only 1 \(grey\) or 3 \(rgb\)/);
    expect(() => frames.crop([{ index: 7, rgb: new Uint8Array(5) }], [], 4, 3)).toThrow(/frame 7 has 5 bytes, 24×16 rgb24 needs 1152/);
    frames.dispose();
  });
});
