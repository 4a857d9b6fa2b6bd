import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVideo } from '../../../../../tests/fixtures/make-videos.js';
import { useWasm } from '../../../classify/worker/augment/test-clips.fixture.js';
import { everyKthFrame } from '../frames/sampled-frames.js';
import { buildAnomalyModel } from '../model/anomaly-model.js';
import { expandSampled, nearestSampledFrame } from './expand-sampled.js';
import { scoreVideo } from './score-video.js';

let dir: string;
let at30: string;
let at10: string;
let model: tf.LayersModel;

beforeAll(async () => {
  await useWasm();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-sampled-scoring-'));
  at30 = await makeVideo(path.join(dir, 'camera-30fps.mp4'), { width: 160, height: 120, fps: '30', seconds: 4 });
  at10 = await makeVideo(path.join(dir, 'camera-10fps.mp4'), { width: 160, height: 120, fps: '10', seconds: 4 });
  model = buildAnomalyModel({ size: 16, channels: 3, width: 4, depth: 2, teacherDim: 0 }, { seed: 7 });
}, 60_000);

afterAll(() => {
  model.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function* numbered(count: number): AsyncGenerator<{ index: number; name: string }> {
  // Frames arrive one at a time, as from a decoder.
  for (let index = 0; index < count; index++) yield await Promise.resolve({ index, name: `frame ${index}` });
}

describe('sampling frames at a fixed temporal resolution', () => {
  it('keeps frames 0, k, 2k, … renumbered, and every frame at k = 1', async () => {
    expect(await collect(everyKthFrame(numbered(8), 3))).toEqual([
      { index: 0, name: 'frame 0' },
      { index: 1, name: 'frame 3' },
      { index: 2, name: 'frame 6' },
    ]);
    expect((await collect(everyKthFrame(numbered(4), 1))).map((f) => f.name)).toEqual(['frame 0', 'frame 1', 'frame 2', 'frame 3']);
    await expect(collect(everyKthFrame(numbered(4), 0))).rejects.toThrow(/step must be a whole number ≥ 1, got 0/);
  });

  it('gives every video frame the value of its nearest sampled frame', () => {
    const map = nearestSampledFrame(3, 4, 11);
    expect(Array.from(map)).toEqual([0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
    expect(Array.from(expandSampled(Float32Array.of(5, 6, 7, 8), map))).toEqual([5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8]);
    expect(Array.from(expandSampled(Int32Array.of(-1, 0, 1, 2), nearestSampledFrame(1, 4, 4)))).toEqual([-1, 0, 1, 2]);
    expect(() => nearestSampledFrame(3, 0, 5)).toThrow(/5 frames but no sampled frame/);
  });
});

describe('scoring a 30 fps and a 10 fps camera', () => {
  it('scores every 3rd frame of 30 fps footage, windows 0.6 s apart, with one curve value per video frame', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const result = await scoreVideo(at30, model);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(result.frameCount).toBe(120);
    expect(result.fps).toBe(30);
    expect(result.sampling).toMatchObject({ fps: 30, frameStep: 3, sampledFps: 10, strideFrames: 18, halfSpanFrames: 10 });
    expect(result.sampling.strideSeconds).toBeCloseTo(0.6, 9);
    expect(result.sampling.sigmaFrames).toBeCloseTo(24, 9);
    expect(result.sampling.sigmaSeconds).toBeCloseTo(0.8, 9);
    // 40 sampled frames: 7-frame windows start at sampled frames 0, 6, …, 30, i.e. every 0.6 s of video.
    expect(result.windows.motion + result.windows.grid).toBe(6);
    for (const curve of [result.scores, result.raw, ...Object.values(result.perTask)]) expect(curve).toHaveLength(120);
    // Frames between sampled ones take the nearest sampled frame's score: 3k−1, 3k and 3k+1 agree.
    for (let j = 1; j < 39; j++) {
      expect(result.raw[3 * j - 1]).toBe(result.raw[3 * j]);
      expect(result.raw[3 * j + 1]).toBe(result.raw[3 * j]);
    }
    expect(Math.max(...result.raw)).toBeGreaterThan(0);
  }, 60_000);

  it('keeps every frame of 10 fps footage: the same 0.6 s between windows, six frames apart', async () => {
    const result = await scoreVideo(at10, model);
    expect(result.frameCount).toBe(40);
    expect(result.sampling).toMatchObject({ fps: 10, frameStep: 1, sampledFps: 10, strideFrames: 6, halfSpanFrames: 3, sigmaFrames: 8 });
    expect(result.sampling.strideSeconds).toBeCloseTo(0.6, 9);
    expect(result.windows.motion + result.windows.grid).toBe(6);
    expect(result.scores).toHaveLength(40);
    // Sampling off scores the 30 fps video frame by frame, as runs made before sampling do.
    const every = await scoreVideo(at30, model, { sampleFps: 0, stride: 6, sigma: 0 });
    expect(every.sampling).toMatchObject({ frameStep: 1, strideFrames: 6, sigmaFrames: 0, sigmaSeconds: 0 });
    expect(every.windows.motion + every.windows.grid).toBe(19);
  }, 60_000);
});
