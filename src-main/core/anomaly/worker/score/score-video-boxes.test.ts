/**
 * Region-level output on a real video: one white square crossing a dark 640×360 picture, decoded at the
 * 320-pixel working size and scored by a tiny model trained for a few steps. Each frame's box is the box of
 * the region whose score the frame took, in the video's own pixels, so it must sit on the square.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { boxAt, type FrameBox } from '../../../../shared/anomaly-boxes.js';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { Rng } from '../../../engine/random.js';
import { resolveMediaTools, toolEnv } from '../../../media/media-tools.js';
import { buildAnomalyModel } from '../model/anomaly-model.js';
import { anomalyTrainStep, createAnomalyOptimizer } from '../model/anomaly-train-step.js';
import { movingSquareTubes } from '../model/test-tubes.fixture.js';
import { buildTaskSamples, disposeTaskSamples, taskSourceFrames } from '../tasks/task-samples.js';
import { scoreVideo } from './score-video.js';

const run = promisify(execFile);
const FRAMES = 75;
const SIDE = 40;
const Y = 150;
/** Where the square is in frame n (the overlay expression below, in the video's pixels). */
const squareAt = (n: number): FrameBox => ({ x: 20 + 7 * n, y: Y, w: SIDE, h: SIDE });

let dir: string;
let video: string;
let model: tf.LayersModel | undefined;

async function makeOneSquareVideo(file: string): Promise<string> {
  const { ffmpeg } = resolveMediaTools();
  const graph = [
    'color=c=0x202020:s=640x360:r=25[bg]',
    `color=c=white:s=${SIDE}x${SIDE}:r=25[sq]`,
    `[bg][sq]overlay=x='20+7*n':y=${Y}:shortest=1,trim=end_frame=${FRAMES}[out]`,
  ].join(';');
  await run(
    ffmpeg,
    ['-hide_banner', '-loglevel', 'error', '-y', '-filter_complex', graph, '-map', '[out]', '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '4', '-pix_fmt', 'yuv420p', file],
    { env: toolEnv(ffmpeg) },
  );
  return file;
}

/** A few Adam steps on moving-square tubes: a model that has learnt something, in about a second. */
async function tinyTrainedModel(): Promise<tf.LayersModel> {
  const trained = buildAnomalyModel({ size: 16, channels: 1, width: 4, depth: 2, teacherDim: 0 }, { seed: 11 });
  const optimizer = createAnomalyOptimizer(3e-3);
  const rng = new Rng(5);
  for (let step = 0; step < 4; step++) {
    const source = movingSquareTubes(rng, { tubes: 8, frames: taskSourceFrames(), size: 16, channels: 1 });
    const samples = buildTaskSamples(source, rng);
    source.dispose();
    try {
      await anomalyTrainStep({ model: trained, optimizer, samples });
    } finally {
      disposeTaskSamples(samples);
    }
  }
  optimizer.dispose();
  return trained;
}

function overlaps(a: FrameBox, b: FrameBox): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-score-boxes-'));
  video = await makeOneSquareVideo(path.join(dir, 'one-square.mp4'));
  model = await tinyTrainedModel();
}, 60_000);

afterAll(() => {
  model?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('keeps, per frame, the box of the region that made its score, in the video’s own pixels, on the moving object', async () => {
  const tensorsBefore = tf.memory().numTensors;
  // Every frame (sampleFps 0): the 3 s clip is shorter than the ~4 s of sampled frames the background needs, and
  // without a background the regions would be frame differences over the window rather than the square's box.
  const result = await scoreVideo(video, model!, { stride: 3, sampleFps: 0 });
  expect(tf.memory().numTensors).toBe(tensorsBefore);
  expect([result.width, result.height]).toEqual([320, 180]);
  // The boxes are in the picture a player shows, not the 320×180 copy the regions were found on.
  expect([result.boxes.width, result.boxes.height]).toEqual([640, 360]);
  expect(result.boxes.frames).toBeInstanceOf(Int16Array);
  expect(result.boxes.frames).toHaveLength(FRAMES * 4);

  let onSquare = 0;
  let rightHalf = 0;
  for (let f = 0; f < FRAMES; f++) {
    const box = boxAt(result.boxes.frames, f);
    // stride 3, half span 1 and held edges: every frame has a region.
    expect(box, `frame ${f}`).not.toBeNull();
    if (box === null) continue;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.x + box.w).toBeLessThanOrEqual(640);
    expect(box.y + box.h).toBeLessThanOrEqual(360);
    // A region around the square (padded to a square of at least 64 working pixels), not the picture.
    expect(Math.max(box.w, box.h)).toBeLessThanOrEqual(3 * SIDE);
    const square = squareAt(f);
    if (overlaps(box, square) && Math.abs(box.x + box.w / 2 - (square.x + SIDE / 2)) < SIDE) onSquare++;
    if (box.x + box.w > 320) rightHalf++;
  }
  // The only thing moving is the square, so every region is on it, centred within a square's side (a
  // window's box is the square's over 7 frames); boxes left in working pixels would never pass x = 320.
  expect(onSquare).toBe(FRAMES);
  expect(rightHalf).toBeGreaterThan(FRAMES / 4);
});
