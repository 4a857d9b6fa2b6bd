import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVideo } from '../../tests/fixtures/make-videos.js';
import { cliRunner } from '../../tests/fixtures/cli-runner.js';
import { ensureCliBuilt } from '../../tests/fixtures/run-cli.js';
import { Core } from '../core/core.js';
import type { StandaloneResult } from '../core/classify/main/standalone-predict.js';
import type { PredictionDto } from '../shared/run-dto.js';
import type { runSummary } from './commands/train.js';

let tmp: string;
let footage: string;
const project = 'project';
const TINY = ['--frames', '4', '--size', '16', '--width', '4', '--depth', '2', '--batch-size', '2', '--mu', '2'];

const { vssl, ok } = cliRunner(() => tmp);

/** Two kinds of footage: a moving test card and a zooming fractal, four 2-second videos of each. */
beforeAll(async () => {
  ensureCliBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-train-cli-'));
  footage = path.join(tmp, 'footage');
  for (let i = 0; i < 4; i++) {
    await makeVideo(path.join(footage, `card-${i}.mp4`), { seconds: 2, fps: '10', width: 64, height: 48, title: `c${i}` });
    await makeVideo(path.join(footage, `fractal-${i}.mp4`), {
      seconds: 2,
      fps: '10',
      width: 64,
      height: 48,
      pattern: 'mandelbrot',
      title: `f${i}`,
    });
  }
  await ok('init', project);
  await ok('import', project, footage);
  const csv = path.join(footage, 'labels.csv');
  fs.writeFileSync(
    csv,
    ['path,start,end,label', 'card-0.mp4,0,2,card', 'card-1.mp4,0,2,card', 'fractal-0.mp4,0,2,fractal', 'fractal-1.mp4,0,2,fractal'].join('\n'),
  );
  await ok('labels', 'import', project, csv, '--format', 'csv');
}, 120_000);

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function inAppPredictions(runId: number): Promise<PredictionDto[]> {
  const core = new Core({ mode: 'cli', userDataDir: path.join(tmp, 'user') });
  try {
    await core.call('project:open', { path: path.join(tmp, project) });
    return (await core.call('predictions:list', { runId })).items;
  } finally {
    await core.close();
  }
}

describe('vssl train, predict and model', () => {
  it('trains one epoch, predicts every clip, exports the predictions and the model, and the model predicts alike elsewhere', async () => {
    const out = await ok('train', project, '--method', 'fixmatch', '--epochs', '1', '--no-flip', '--mc-passes', '3', ...TINY, '--json');
    const run = JSON.parse(out) as ReturnType<typeof runSummary>;
    expect(run).toMatchObject({ method: 'fixmatch', status: 'succeeded', epochs: 1, predictions: 8 });
    expect(run.dataset.unlabelled).toBe(4);
    expect(run.backend).toBeTruthy();
    expect(run.metrics?.loss).toBeGreaterThan(0);

    const csv = path.join(tmp, 'predictions.csv');
    expect(await ok('predictions', 'export', project, csv, '--format', 'csv')).toMatch(/Wrote 8 predictions/);
    const lines = fs.readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('path,start,end,label,confidence,uncertainty');
    expect(lines).toHaveLength(9);
    for (const line of lines.slice(1)) expect(line).toMatch(/^footage\/(card|fractal)-\d\.mp4,0,2,(card|fractal),[01]\.\d{6},0\.\d{6}$/);

    const modelDir = path.join(tmp, 'model');
    await ok('model', 'export', project, '--run', String(run.runId), '--out', modelDir);
    expect(fs.readdirSync(modelDir).sort()).toEqual(expect.arrayContaining(['metadata.json', 'model.json']));
    const metadata = JSON.parse(fs.readFileSync(path.join(modelDir, 'metadata.json'), 'utf8')) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      classes: [
        { index: 0, name: 'card' },
        { index: 1, name: 'fractal' },
      ],
      input: { frames: 4, size: 16, fps: null },
      run: { id: run.runId, method: 'fixmatch' },
    });

    // A fresh process, no project: the exported model gives the probabilities the app stored.
    const videos = [path.join(footage, 'card-3.mp4'), path.join(footage, 'fractal-3.mp4')];
    const standalone = JSON.parse(await ok('model', 'predict', modelDir, ...videos, '--json')) as StandaloneResult;
    expect(standalone.failed).toEqual([]);
    expect(standalone.predictions).toHaveLength(2);
    const stored = await inAppPredictions(run.runId);
    for (const prediction of standalone.predictions) {
      const same = stored.find((p) => prediction.path.endsWith(p.videoName));
      expect(same, prediction.path).toBeDefined();
      const probs = [prediction.probs.card ?? -1, prediction.probs.fractal ?? -1];
      probs.forEach((p, i) => expect(p).toBeCloseTo(same?.probs[i] ?? -2, 5));
    }

    // The project remembers that flips were off.
    const core = new Core({ mode: 'cli', userDataDir: path.join(tmp, 'user') });
    try {
      await core.call('project:open', { path: path.join(tmp, project) });
      expect((await core.call('train:options', {})).flip).toBe(false);
    } finally {
      await core.close();
    }
  }, 180_000);

  it('trains FreeMatch with distribution alignment, charting its per-class thresholds, and refuses alignment for a method without it', async () => {
    const out = await ok('train', project, '--method', 'freematch', '--distribution-alignment', '--fairness-weight', '0.02', '--epochs', '1', '--no-flip', '--mc-passes', '0', ...TINY, '--json');
    const run = JSON.parse(out) as ReturnType<typeof runSummary>;
    expect(run).toMatchObject({ method: 'freematch', status: 'succeeded', epochs: 1 });
    // Two classes: FreeMatch's thresholds start at 1/2 and have moved with the model's confidence.
    expect(run.metrics?.classThresholds).toHaveLength(2);
    expect(run.metrics?.classThresholds?.every((t) => t > 0 && t <= 1)).toBe(true);
    const core = new Core({ mode: 'cli', userDataDir: path.join(tmp, 'user') });
    try {
      await core.call('project:open', { path: path.join(tmp, project) });
      const stored = await core.call('runs:get', { id: run.runId });
      expect(stored.settings).toMatchObject({ distributionAlignment: true, fairnessWeight: 0.02, freeMatchMomentum: 0.999 });
    } finally {
      await core.close();
    }
    const refused = await vssl('train', project, '--method', 'supervised', '--distribution-alignment');
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringMatching(/--distribution-alignment is an option of fixmatch, flexmatch, freematch, not of --method supervised/)]);
  });

  it('explains bad usage with exit code 2 and a missing model with exit code 1', async () => {
    const noMethod = await vssl('train', project);
    expect([noMethod.code, noMethod.stderr]).toEqual([2, expect.stringMatching(/--method is required/)]);
    const badEpochs = await vssl('train', project, '--method', 'fixmatch', '--epochs', 'many');
    expect([badEpochs.code, badEpochs.stderr]).toEqual([2, expect.stringMatching(/--epochs must be a number/)]);
    const badMethod = await vssl('train', project, '--method', 'magic');
    expect([badMethod.code, badMethod.stderr]).toEqual([2, expect.stringMatching(/method is one of supervised/)]);
    const notAModel = await vssl('model', 'predict', footage, path.join(footage, 'card-0.mp4'));
    expect([notAModel.code, notAModel.stderr]).toEqual([1, expect.stringMatching(/not an exported VSSL model/)]);
  });

  it('trains until it stops improving with --until-plateau, and says why it stopped, in its output and in runs show --json', async () => {
    const flags = ['--until-plateau', '--patience', '1', '--min-epochs', '1', '--max-epochs', '8', '--validation', '0.5', '--mc-passes', '0'];
    const run = JSON.parse(await ok('train', project, '--method', 'supervised', ...flags, ...TINY, '--json')) as ReturnType<typeof runSummary>;
    // Two validation clips: the accuracy can rise at most twice, so a patience of 1 stops it well before 8 epochs.
    expect(run.epochs).toBeLessThan(8);
    expect(run.stop).toMatchObject({ reason: 'plateau', epoch: run.epochs, metric: 'ema-validation-accuracy', patience: 1, weights: 'best' });
    const bestEpoch = run.stop?.bestEpoch ?? 0;
    expect(run.epochs - bestEpoch).toBe(1);
    const shown = await ok('runs', 'show', project, String(run.runId));
    expect(shown).toContain(`succeeded after ${run.epochs} of at most 8 epochs.`);
    // The last line says why it stopped.
    expect(shown.trim().split('\n').at(-1)).toMatch(new RegExp(`^Stopped at epoch ${run.epochs}: validation accuracy had not improved for 1 epoch \\(best \\d+\\.\\d % at epoch ${bestEpoch}\\)\\. The model keeps the weights of epoch ${bestEpoch}\\.`));
    expect((JSON.parse(await ok('runs', 'show', project, String(run.runId), '--json')) as ReturnType<typeof runSummary>).stop).toEqual(run.stop);
  });
});
