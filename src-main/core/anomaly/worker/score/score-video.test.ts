import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCorruptVideo, makeFakeVideo, makeVideo } from '../../../../../tests/fixtures/make-videos.js';
import { ApiError } from '../../../../shared/errors.js';
import { MediaFailure } from '../../../media/media-failure.js';
import { useWasm } from '../../../classify/worker/augment/test-clips.fixture.js';
import { buildAnomalyModel } from '../model/anomaly-model.js';
import { ANOMALY_TASKS } from './frame-scores.js';
import { scoreVideo } from './score-video.js';

const TASKS = [ANOMALY_TASKS.middleFrameError, ANOMALY_TASKS.backward, ANOMALY_TASKS.irregular];
let dir: string;
let video: string;
let long: string;
let model: tf.LayersModel;

/** ffmpeg processes this test process started that are still running (not yet reaped counts as gone). */
function ffmpegChildren(): number[] {
  return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).filter((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // pid (comm) state ppid ...
      const [, comm, state, ppid] = /^\d+ \((.*)\) (\S) (\d+)/.exec(stat) ?? [];
      return comm === 'ffmpeg' && state !== 'Z' && Number(ppid) === process.pid;
    } catch {
      return false;
    }
  });
}

async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  await useWasm();
  expect(tf.getBackend()).toBe('wasm');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-score-video-'));
  // 10 fps, the rate the detector samples at: every frame is kept (k = 1), as before sampling existed.
  video = await makeVideo(path.join(dir, 'street.mp4'), { width: 160, height: 120, fps: '10', seconds: 5 });
  long = await makeVideo(path.join(dir, 'long.mp4'), { width: 160, height: 120, fps: '25', seconds: 12 });
  model = buildAnomalyModel({ size: 16, channels: 3, width: 4, depth: 2, teacherDim: 0 }, { seed: 7 });
}, 60_000);

afterAll(() => {
  model.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('scoreVideo', () => {
  it('scores every frame of a real video: finite, in range, per-task parts that sum to the raw score, no tensor left', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const progress: [number, number | null][] = [];
    const result = await scoreVideo(video, model, { stride: 3 }, { onProgress: (done, expected) => progress.push([done, expected]) });
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    expect(result.frameCount).toBe(50);
    expect(result.fps).toBe(10);
    expect(result.sampling).toMatchObject({ frameStep: 1, sampledFps: 10, strideFrames: 3, halfSpanFrames: 1, sigmaFrames: 8, sigmaSeconds: 0.8 });
    expect([result.width, result.height]).toEqual([160, 120]);
    expect([result.stride, result.halfSpan]).toEqual([3, 1]);
    // Windows start at 0, 3, …, 42 (the last whole 7-frame window): 15 of them.
    expect(result.windows.motion + result.windows.grid).toBe(15);
    expect(result.regionsScored).toBeGreaterThanOrEqual(15);
    expect(result.tasks).toEqual(TASKS);
    for (const curve of [result.scores, result.raw]) {
      expect(curve).toBeInstanceOf(Float32Array);
      expect(curve).toHaveLength(50);
      for (const value of curve) {
        expect(Number.isFinite(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(TASKS.length + 1e-6);
      }
    }
    expect(Math.max(...result.raw)).toBeGreaterThan(0);
    for (let f = 0; f < 50; f++) {
      const parts = TASKS.reduce((sum, task) => sum + result.perTask[task]![f]!, 0);
      expect(parts).toBeCloseTo(result.raw[f]!, 5);
    }
    // The first window covers frames 2..4 and the last 44..46: the ends take their nearest covered frame.
    expect(result.raw[0]).toBe(result.raw[2]);
    expect(result.raw[49]).toBe(result.raw[46]);
    // Smoothing keeps the curve inside the raw scores' range and lowers the peak.
    expect(Math.max(...result.scores)).toBeLessThanOrEqual(Math.max(...result.raw) + 1e-6);
    expect(Math.min(...result.scores)).toBeGreaterThanOrEqual(Math.min(...result.raw) - 1e-6);
    expect(progress.at(-1)).toEqual([50, 50]);
    progress.slice(1).forEach(([done], i) => expect(done).toBeGreaterThanOrEqual(progress[i]![0]));
    expect(result.seconds).toBeGreaterThan(0);
  });

  it('overlaps 7-frame windows by one frame by default (0.6 s at 10 fps), and takes stride, halfSpan and σ', async () => {
    const tiled = await scoreVideo(video, model);
    expect([tiled.stride, tiled.halfSpan]).toEqual([6, 3]);
    expect(tiled.sampling).toMatchObject({ frameStep: 1, strideSeconds: 0.6, sigmaFrames: 8 });
    // Windows 0..6, 6..12, …, 42..48 cover frames 0..48, every pair of neighbouring frames inside one;
    // frame 49 takes frame 48's score.
    expect(tiled.windows.motion + tiled.windows.grid).toBe(8);
    expect(tiled.raw[49]).toBe(tiled.raw[48]);
    expect(tiled.scores).toHaveLength(50);

    const result = await scoreVideo(video, model, { stride: 7, halfSpan: 0, sigma: 0 });
    expect(result.windows.motion + result.windows.grid).toBe(7);
    expect(Array.from(result.scores)).toEqual(Array.from(result.raw));
    // Centres 3, 10, …, 45: the frames between carry no region, so they get the normalised minimum 0.
    for (const f of [4, 5, 6, 7, 8, 9]) expect(result.raw[f]).toBe(0);
    await expect(scoreVideo(video, model, { stride: 0 })).rejects.toThrow(/stride must be a whole number ≥ 1, got 0/);
    await expect(scoreVideo(video, model, { halfSpan: -1 })).rejects.toThrow(/halfSpan must be a whole number ≥ 0, got -1/);
  });

  it('cancel mid-way stops ffmpeg and rejects with CANCELLED, leaving no tensor', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const controller = new AbortController();
    let running: number[] = [];
    let seen = 0;
    const promise = scoreVideo(long, model, { batchSize: 4 }, {
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: (done) => {
        seen = done;
        if (done >= 60 && !controller.signal.aborted) {
          running = ffmpegChildren();
          controller.abort();
        }
      },
    });
    const err: unknown = await promise.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('CANCELLED');
    expect(running.length).toBeGreaterThan(0);
    expect(seen).toBeLessThan(300);
    await waitFor(() => ffmpegChildren().length === 0);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    await expect(scoreVideo(long, model, {}, { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('a corrupt, missing or non-video file rejects with a specific MediaFailure and leaves nothing running', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const corrupt = await makeCorruptVideo(path.join(dir, 'corrupt.mp4'), { width: 160, height: 120 });
    const err: unknown = await scoreVideo(corrupt, model).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaFailure);
    expect((err as Error).message).toMatch(/corrupt\.mp4: the file is truncated or corrupt \(decoding failed near frame \d+\)/);
    await waitFor(() => ffmpegChildren().length === 0);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    await expect(scoreVideo(path.join(dir, 'nowhere.mp4'), model)).rejects.toThrow(/nowhere\.mp4: file not found/);
    await expect(scoreVideo(makeFakeVideo(path.join(dir, 'fake.mp4')), model)).rejects.toThrow(/fake\.mp4: not a video file/);
  }, 30_000);
});
