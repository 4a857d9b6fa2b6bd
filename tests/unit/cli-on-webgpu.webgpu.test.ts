/**
 * The whole app on the webgpu backend, as a person runs it with VSSL_TF_BACKEND=webgpu: `vssl` in fresh
 * processes on real videos (ffmpeg-made), a FixMatch run with its MC-dropout predictions, the exported model
 * predicting outside the project, and an anomaly detector trained and scoring. Tiny sizes: on lavapipe (CI's
 * software adapter) every kernel runs on the CPU through Vulkan.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandaloneResult } from '../../src-main/core/classify/main/standalone-predict.js';
import { cliRunner } from '../fixtures/cli-runner.js';
import { makeVideo } from '../fixtures/make-videos.js';
import { ensureCliBuilt } from '../fixtures/run-cli.js';

let tmp: string;
let footage: string;
const project = 'project';
const TINY = ['--frames', '4', '--size', '16', '--width', '4', '--depth', '2', '--batch-size', '2', '--mu', '2'];
const video = (name: string): string => path.join(footage, name);
const { vssl, ok } = cliRunner(() => tmp);

/** Succeeds on webgpu; Dawn's Vulkan driver may print its own warnings on stderr, nothing else may. */
async function onWebGpu(...args: string[]): Promise<string> {
  const run = await vssl(...args);
  const ours = run.stderr
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^Warning: max\w+ artificially reduced/.test(line));
  expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
  expect(ours, args.join(' ')).toEqual([]);
  return run.stdout;
}

beforeAll(async () => {
  ensureCliBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-cli-webgpu-'));
  footage = path.join(tmp, 'footage');
  const spec = { seconds: 2, fps: '10', width: 64, height: 48 };
  for (let i = 0; i < 3; i++) {
    await makeVideo(video(`card-${i}.mp4`), { ...spec, title: `c${i}` });
    await makeVideo(video(`fractal-${i}.mp4`), { ...spec, pattern: 'mandelbrot', title: `f${i}` });
  }
  await ok('init', project);
  await ok('import', project, footage);
  const csv = path.join(tmp, 'labels.csv');
  fs.writeFileSync(csv, ['path,start,end,label', 'card-0.mp4,0,2,card', 'card-1.mp4,0,2,card', 'fractal-0.mp4,0,2,fractal', 'fractal-1.mp4,0,2,fractal'].join('\n'));
  await ok('labels', 'import', project, csv, '--format', 'csv');
  process.env.VSSL_TF_BACKEND = 'webgpu';
}, 120_000);

afterAll(() => {
  delete process.env.VSSL_TF_BACKEND;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('vssl on the webgpu backend', () => {
  it('trains FixMatch, predicts with MC-dropout, and the exported model predicts alike', async () => {
    const run = JSON.parse(await onWebGpu('train', project, '--method', 'fixmatch', '--epochs', '1', '--no-flip', '--mc-passes', '2', ...TINY, '--json')) as {
      runId: number;
      status: string;
      backend: string;
      backendReason: string;
      predictions: number;
      metrics: { loss: number } | null;
    };
    expect(run).toMatchObject({ status: 'succeeded', backend: 'webgpu', predictions: 6 });
    expect(run.backendReason).toMatch(/forced by VSSL_TF_BACKEND: WebGPU on /);
    expect(Number.isFinite(run.metrics?.loss)).toBe(true);

    const modelDir = path.join(tmp, 'model');
    await onWebGpu('model', 'export', project, '--run', String(run.runId), '--out', modelDir);
    const predicted = JSON.parse(await onWebGpu('model', 'predict', modelDir, video('card-2.mp4'), video('fractal-2.mp4'), '--json')) as StandaloneResult;
    expect(predicted.failed).toEqual([]);
    expect(predicted.predictions).toHaveLength(2);
    for (const prediction of predicted.predictions) {
      expect((prediction.probs.card ?? 0) + (prediction.probs.fractal ?? 0)).toBeCloseTo(1, 4);
    }
  });

  it('trains an anomaly detector on normal footage and scores a video', async () => {
    const trained = JSON.parse(
      await onWebGpu('anomaly', 'train', project, '--normal', video('card-0.mp4'), video('card-1.mp4'), '--epochs', '1', '--size', '16', '--width', '4', '--depth', '2', '--batch-size', '4', '--max-tubes', '8', '--long-side', '80', '--window-stride', '4', '--json'),
    ) as { runId: number; status: string; backend: string };
    expect(trained).toMatchObject({ status: 'succeeded', backend: 'webgpu' });
    const scored = JSON.parse(await onWebGpu('anomaly', 'score', project, video('fractal-2.mp4'), '--json')) as { videos: { frames: number; peakScore: number }[] };
    expect(scored.videos).toHaveLength(1);
    expect(scored.videos[0]?.frames).toBe(20);
    expect(Number.isFinite(scored.videos[0]?.peakScore)).toBe(true);
  });
});
