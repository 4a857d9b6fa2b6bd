import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMovingSquareVideo, type MovingSquareSpec } from '../../../../../tests/fixtures/make-videos.js';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { openFrameStream, type VideoFrame } from '../frames/frame-stream.js';
import { slidingWindows } from '../frames/sliding-windows.js';
import { collectNormalTubes } from '../train/normal-tubes.js';
import type { PixelBox } from './pixel-box.js';
import { cropTubes } from './tube-crop.js';
import { VideoRegionFinder, type VideoRegionOptions } from './video-regions.js';
import type { FrameRegions } from './downscaled-regions.js';

// A white square walks right 5 px a frame over a still test card; in frame 32 it is not drawn.
const spec: MovingSquareSpec = { width: 320, height: 160, fps: 10, frames: 60, side: 24, x0: 8, vx: 5, y: 30, hidden: [32] };
const square = (n: number): PixelBox => ({ x: spec.x0 + spec.vx * n, y: spec.y, width: spec.side, height: spec.side });
/** Holds the square, give or take `slack` pixels of coding blur and rounding. */
const holds = (box: PixelBox, inner: PixelBox, slack = 2): boolean =>
  box.x <= inner.x + slack && box.y <= inner.y + slack && box.x + box.width >= inner.x + inner.width - slack && box.y + box.height >= inner.y + inner.height - slack;

let dir: string;
let video: string;

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'followed-tubes-'));
  video = await makeMovingSquareVideo(path.join(dir, 'square.mp4'), spec);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface ScannedWindow {
  start: number;
  frames: readonly VideoFrame[];
  found: FrameRegions;
}

/** Every 7-frame window every 6 frames, as scoring cuts them, with its regions. */
async function scan(options: VideoRegionOptions = {}): Promise<ScannedWindow[]> {
  const stream = await openFrameStream(video, { longSide: 320 });
  const finder = new VideoRegionFinder(stream.width, stream.height, options);
  const out: ScannedWindow[] = [];
  for await (const window of slidingWindows(finder.primed(stream), { length: 7, stride: 6 })) {
    out.push({ start: window.start, frames: window.frames, found: finder.find(window.frames) });
  }
  return out;
}

/** Per frame of each tube, the centre of its white pixels (the square) in crop pixels. */
async function whiteCentres(frames: readonly VideoFrame[], tubes: readonly (PixelBox | PixelBox[])[]): Promise<{ x: number; y: number }[][]> {
  const size = 32;
  const crops = cropTubes({ frames: frames.map((f) => f.rgb), width: spec.width, height: spec.height }, tubes, size);
  const values = await crops.data();
  crops.dispose();
  return tubes.map((_, n) =>
    frames.map((_, t) => {
      let sx = 0;
      let sy = 0;
      let count = 0;
      const base = (n * frames.length + t) * size * size * 3;
      for (let p = 0; p < size * size; p++) {
        if (values[base + p * 3]! > 0.9 && values[base + p * 3 + 1]! > 0.9 && values[base + p * 3 + 2]! > 0.9) {
          sx += p % size;
          sy += Math.floor(p / size);
          count++;
        }
      }
      return count === 0 ? { x: NaN, y: NaN } : { x: sx / count, y: sy / count };
    }),
  );
}

describe('tubes that follow objects, on a real video', () => {
  it('keeps the walking square in its box in every frame, where the middle frame’s box loses it', async () => {
    const windows = await scan();
    const clear = windows.filter((w) => w.found.source === 'object' && (w.start > 32 || w.start + 6 < 32) && w.start + 6 < 58);
    expect(clear.length).toBeGreaterThanOrEqual(6);
    for (const { start, found } of clear) {
      expect(found.follow).toEqual({ tracked: 1, union: 0, middle: 0 });
      const followed = found.paths[0]!;
      expect(followed).toHaveLength(7);
      followed.forEach((box, t) => expect(holds(box, square(start + t)), `window ${start}, frame ${start + t}`).toBe(true));
      // The middle frame's box: the square has walked out of it by the window's ends.
      const middle = found.boxes[0]!;
      expect(holds(middle, square(start + 3))).toBe(true);
      expect(holds(middle, square(start)) || holds(middle, square(start + 6))).toBe(false);
    }

    // In the cut tubes the square stands still when followed and walks across when not.
    const before = tf.memory().numTensors;
    const { frames, found } = clear[2]!;
    const [followed, still] = await whiteCentres(frames, [found.paths[0]!, found.boxes[0]!]);
    const drift = (centres: { x: number }[]) => Math.max(...centres.map((c) => c.x)) - Math.min(...centres.map((c) => c.x));
    expect(followed!.every((c) => Number.isFinite(c.x))).toBe(true);
    expect(drift(followed!)).toBeLessThan(1.5);
    expect(drift(still!.filter((c) => Number.isFinite(c.x)))).toBeGreaterThan(8);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('falls back to the union box when the object is lost within the window, and to the middle box when following is off', async () => {
    const windows = await scan();
    // Frames 30..36: the square is missing in frame 32, so it links only in 33..36.
    const hidden = windows.find((w) => w.start === 30)!;
    expect(hidden.found.follow).toEqual({ tracked: 0, union: 1, middle: 0 });
    const union = hidden.found.paths[0]!;
    expect(new Set(union.map((b) => JSON.stringify(b))).size).toBe(1);
    for (const n of [33, 34, 35, 36]) expect(holds(union[0]!, square(n))).toBe(true);

    const off = await scan({ regions: { follow: false } });
    const objectWindows = off.filter((w) => w.found.source === 'object');
    expect(objectWindows.length).toBeGreaterThan(0);
    for (const { found } of objectWindows) {
      expect(found.follow.tracked + found.follow.union).toBe(0);
      found.paths.forEach((p, i) => expect(p).toEqual(Array.from({ length: 7 }, () => found.boxes[i])));
    }
  });

  it('cuts training tubes that follow the square through all 19 frames the same way', async () => {
    const before = tf.memory().numTensors;
    const tubes = await collectNormalTubes([{ file: video }], { size: 16, channels: 3, maxTubes: 50, seed: 3, stride: 6, longSide: 320 });
    expect(tf.memory().numTensors).toBe(before);
    expect(tubes.follow.tracked).toBeGreaterThan(0);
    expect(tubes.frames).toBe(19);
    // A followed tube holds the square in its middle 7 frames (the ones the arrow of time sees).
    const followed = tubes.origins.findIndex((o) => o.source === 'object' && o.centreFrame >= 42);
    expect(followed).toBeGreaterThanOrEqual(0);
    const bytes = tubes.tubes[followed]!;
    const per = 16 * 16 * 3;
    for (let t = 6; t <= 12; t++) {
      let white = 0;
      for (let p = 0; p < 16 * 16; p++) if (bytes[t * per + p * 3]! > 230 && bytes[t * per + p * 3 + 2]! > 230) white++;
      expect(white, `frame ${t}`).toBeGreaterThan(40);
    }
  });
});
