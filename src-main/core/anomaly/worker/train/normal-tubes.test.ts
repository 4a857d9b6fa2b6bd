import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVideo } from '../../../../../tests/fixtures/make-videos.js';
import { ApiError } from '../../../../shared/errors.js';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { collectNormalTubes, normalTubeBatch, type NormalTubeOptions } from './normal-tubes.js';

let dir: string;
let video: string;

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
  expect(tf.getBackend()).toBe('wasm');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'normal-tubes-'));
  // testsrc2 draws moving shapes and a running counter: motion regions every window.
  video = await makeVideo(path.join(dir, 'normal.mp4'), { seconds: 3, width: 160, height: 120 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// sampleFps 0: every frame, so windows and centres are counted in the video's own frames here.
const options: NormalTubeOptions = { size: 16, channels: 3, maxTubes: 12, seed: 7, sampleFps: 0, stride: 4, longSide: 80 };

describe('collectNormalTubes', () => {
  it('keeps a bounded, seeded reservoir of correctly shaped byte tubes from real footage', async () => {
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const a = await collectNormalTubes([{ file: video }], { ...options, onProgress: (p) => progress.push(p.tubesSeen) });
    expect(tf.memory().numTensors).toBe(before);

    // 3 s at 25 fps = 75 frames, windows of 19 every 4 frames: starts 0..56 → 15 windows.
    expect(a.windows.motion + a.windows.grid).toBe(15);
    expect(a.windows.motion).toBeGreaterThan(0);
    expect(progress).toHaveLength(15);
    expect(a.seen).toBeGreaterThan(options.maxTubes);
    expect(a.tubes).toHaveLength(options.maxTubes);
    expect(a.origins).toHaveLength(options.maxTubes);
    expect([a.frames, a.size, a.channels]).toEqual([19, 16, 3]);
    for (const tube of a.tubes) expect(tube).toHaveLength(19 * 16 * 16 * 3);
    for (const origin of a.origins) {
      expect(origin.file).toBe(video);
      // A window's centre is its start + 9; starts are multiples of 4.
      expect((origin.centreFrame - 9) % 4).toBe(0);
      expect(origin.box.x + origin.box.width).toBeLessThanOrEqual(80);
      expect(origin.box.y + origin.box.height).toBeLessThanOrEqual(60);
    }
    // The pattern moves: a tube's first and last frames differ.
    const frameBytes = 16 * 16 * 3;
    const moving = a.tubes.filter((t) => t.subarray(0, frameBytes).some((v, i) => v !== t[18 * frameBytes + i]));
    expect(moving.length).toBeGreaterThan(0);

    const again = await collectNormalTubes([{ file: video }], options);
    expect(again.origins).toEqual(a.origins);
    expect(again.tubes).toEqual(a.tubes);
    const other = await collectNormalTubes([{ file: video }], { ...options, seed: 8 });
    expect(other.seen).toBe(a.seen);
    expect(other.origins).not.toEqual(a.origins);
  });

  it('reads only the interval, in grey when asked, and batches tubes as floats in 0..1', async () => {
    const tubes = await collectNormalTubes([{ file: video, startFrame: 30, endFrame: 60 }], { ...options, channels: 1, maxTubes: 100 });
    // 30 frames: windows start at 30, 34, 38 and 41 would end past 60 → 3 windows.
    expect(tubes.windows.motion + tubes.windows.grid).toBe(3);
    expect(tubes.tubes.length).toBe(tubes.seen);
    for (const origin of tubes.origins) expect([39, 43, 47]).toContain(origin.centreFrame);
    for (const tube of tubes.tubes) expect(tube).toHaveLength(19 * 16 * 16);

    const before = tf.memory().numTensors;
    const batch = normalTubeBatch(tubes, [1, 0]);
    expect(batch.shape).toEqual([2, 19, 16, 16, 1]);
    const values = batch.dataSync();
    expect(values[0]).toBeCloseTo(tubes.tubes[1]![0]! / 255, 6);
    expect(values[19 * 16 * 16]).toBeCloseTo(tubes.tubes[0]![0]! / 255, 6);
    batch.dispose();
    // Mirrored: every row of every frame read right to left.
    const mirrored = normalTubeBatch(tubes, [1, 0], [{ mirror: true, dx: 0, dy: 0, gain: 1 }]);
    const flipped = mirrored.dataSync();
    const tube = tubes.tubes[1]!;
    for (const [frame, y, x] of [[0, 0, 0], [5, 7, 3], [18, 15, 15]] as const) {
      expect(flipped[(frame * 16 + y) * 16 + x]).toBeCloseTo(tube[(frame * 16 + y) * 16 + (15 - x)]! / 255, 6);
    }
    expect(flipped[19 * 16 * 16]).toBeCloseTo(tubes.tubes[0]![0]! / 255, 6);
    mirrored.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => normalTubeBatch(tubes, [999])).toThrow(/no tube 999/);
  });

  it('samples 30 fps footage at 10 fps as scoring does: 19-frame windows of every 3rd frame, 0.2 s apart', async () => {
    const at30 = await makeVideo(path.join(dir, 'camera-30fps.mp4'), { seconds: 3, width: 160, height: 120, fps: '30' });
    const tubes = await collectNormalTubes([{ file: at30, startFrame: 3 }], { size: 16, channels: 3, maxTubes: 1000, seed: 7, longSide: 80 });
    // Frames 3..89 of 90: sampled 3, 6, …, 87 (29 frames); 19-frame windows every 2 sampled frames (0.2 s) → 6 windows.
    expect(tubes.windows.motion + tubes.windows.grid).toBe(6);
    const centres = [...new Set(tubes.origins.map((o) => o.centreFrame))].sort((a, b) => a - b);
    // A window spans 19 sampled frames = 54 video frames (1.8 s); its centre is sampled frame 9, video frame 3 + 27.
    expect(centres).toEqual([30, 36, 42, 48, 54, 60]);
  });

  it('rejects bad options and stops with CANCELLED when aborted', async () => {
    await expect(collectNormalTubes([], options)).rejects.toThrow(/no normal footage/);
    await expect(collectNormalTubes([{ file: video }], { ...options, maxTubes: 0 })).rejects.toThrow(/maxTubes/);
    await expect(collectNormalTubes([{ file: video, startFrame: 10, endFrame: 5 }], options)).rejects.toThrow(/ends at frame 5/);
    const controller = new AbortController();
    const run = collectNormalTubes([{ file: video }], { ...options, signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toSatisfy((e) => e instanceof ApiError && e.code === 'CANCELLED');
  });
});
