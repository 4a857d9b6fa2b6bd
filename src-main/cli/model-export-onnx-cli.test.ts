/**
 * End to end through the CLI: train a tiny real run, export it with `vssl model export --format onnx`,
 * and run model.onnx in onnxruntime on the run's real clips (decoded by the app's own clip cache):
 * the probabilities are the app's stored predictions to 1e-4. Python onnx's checker accepts the file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVideo } from '../../tests/fixtures/make-videos.js';
import { cliRunner } from '../../tests/fixtures/cli-runner.js';
import { ensureCliBuilt } from '../../tests/fixtures/run-cli.js';
import { Core } from '../core/core.js';
import { modelMetadataSchema } from '../core/classify/main/model-metadata.js';
import { ClipCache } from '../core/classify/clips/clip-cache.js';
import type { ClipRef } from '../core/classify/clips/clip-ref.js';
import { pythonCheckOrSkip } from '../core/engine/onnx/onnx-parity.fixture.js';
import { resolveMediaTools } from '../core/media/media-tools.js';
import type { ModelExportReport, PredictionDto } from '../shared/run-dto.js';
import type { runSummary } from './commands/train.js';

let tmp: string;
const project = 'project';
const TINY = ['--frames', '4', '--size', '16', '--width', '4', '--depth', '2', '--batch-size', '2', '--mu', '2'];
const { ok, fails } = cliRunner(() => tmp);
let runId = 0;

beforeAll(async () => {
  ensureCliBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-onnx-cli-'));
  const footage = path.join(tmp, 'footage');
  for (let i = 0; i < 3; i++) {
    await makeVideo(path.join(footage, `card-${i}.mp4`), { seconds: 2, fps: '10', width: 64, height: 48, title: `c${i}` });
    await makeVideo(path.join(footage, `fractal-${i}.mp4`), { seconds: 2, fps: '10', width: 64, height: 48, pattern: 'mandelbrot', title: `f${i}` });
  }
  await ok('init', project);
  await ok('import', project, footage);
  const csv = path.join(footage, 'labels.csv');
  fs.writeFileSync(csv, ['path,start,end,label', 'card-0.mp4,0,2,card', 'card-1.mp4,0,2,card', 'fractal-0.mp4,0,2,fractal', 'fractal-1.mp4,0,2,fractal'].join('\n'));
  await ok('labels', 'import', project, csv, '--format', 'csv');
  const run = JSON.parse(await ok('train', project, '--method', 'fixmatch', '--epochs', '1', ...TINY, '--json')) as ReturnType<typeof runSummary>;
  expect(run.status).toBe('succeeded');
  runId = run.runId;
}, 240_000);

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function withProject<T>(use: (core: Core) => Promise<T>): Promise<T> {
  const core = new Core({ mode: 'cli', userDataDir: path.join(tmp, 'user-test') });
  try {
    await core.call('project:open', { path: path.join(tmp, project) });
    return await use(core);
  } finally {
    await core.close();
  }
}

/** The run's predicted clips as the app decodes them (T×S×S×3 uint8), and the probabilities it stored. */
async function appClipsAndPredictions(spec: { frames: number; size: number }): Promise<{ clips: Uint8Array[]; stored: PredictionDto[] }> {
  const { items, videos } = await withProject(async (core) => ({
    items: (await core.call('predictions:list', { runId })).items,
    videos: await core.call('videos:list', {}),
  }));
  const refs: ClipRef[] = items.map((p) => {
    const video = videos.find((v) => v.id === p.videoId);
    if (!video?.fps) throw new Error(`video ${p.videoId} is unknown`);
    return { clipId: p.clipId, videoPath: video.path, videoHash: video.hash ?? String(video.id), startFrame: p.startFrame, endFrame: p.endFrame, startSec: p.startSec, endSec: p.endSec, fps: video.fps };
  });
  const cache = new ClipCache(path.join(tmp, 'decoded'), { frames: spec.frames, size: spec.size, fps: null }, resolveMediaTools());
  await cache.ensure(refs);
  return { clips: await Promise.all(refs.map((ref) => cache.read(ref))), stored: items };
}

describe('vssl model export --format onnx', () => {
  it('gives the app’s own probabilities on the run’s real clips, with metadata and a README', async () => {
    const out = path.join(tmp, 'onnx-model');
    const report = JSON.parse(await ok('model', 'export', project, '--run', String(runId), '--out', out, '--format', 'onnx', '--json')) as ModelExportReport;
    expect(report).toEqual({ dir: out, format: 'onnx', files: ['README.md', 'metadata.json', 'model.onnx'] });
    const metadata = modelMetadataSchema.parse(JSON.parse(fs.readFileSync(path.join(out, 'metadata.json'), 'utf8')));
    expect(metadata).toMatchObject({
      classes: [{ index: 0, name: 'card' }, { index: 1, name: 'fractal' }],
      input: { frames: 4, size: 16, layout: 'NTHWC' },
      preprocessing: { scale: 1 / 255, resize: 'short-side-resize-centre-crop' },
      output: { kind: 'probabilities', name: 'probabilities' },
      customLayers: [],
      files: { model: 'model.onnx' },
      onnx: { opset: 17, mcDropout: 'omitted', inputs: [{ name: 'clips', shape: ['batch', 4, 16, 16, 3] }], outputs: [{ name: 'probabilities', shape: ['batch', 2] }] },
    });
    expect(fs.readFileSync(path.join(out, 'README.md'), 'utf8')).toMatch(/onnxruntime[\s\S]*"clips"/);
    expect(pythonCheckOrSkip(fs.readFileSync(path.join(out, 'model.onnx')), 'cli-classifier.onnx')).toBe('');

    const { clips, stored } = await appClipsAndPredictions(metadata.input);
    expect(stored.length).toBeGreaterThan(0);
    const input = new Float32Array(clips.length * clips[0]!.length);
    clips.forEach((clip, i) => input.set(Float32Array.from(clip, (v) => v / 255), i * clip.length));
    const session = await ort.InferenceSession.create(path.join(out, 'model.onnx'));
    const result = await session.run({ clips: new ort.Tensor('float32', input, [clips.length, 4, 16, 16, 3]) });
    await session.release();
    const probabilities = result['probabilities']?.data as Float32Array;
    stored.forEach((prediction, i) => {
      prediction.probs.forEach((p, c) => expect(Math.abs((probabilities[i * 2 + c] ?? NaN) - p), `clip ${prediction.clipId} class ${c}`).toBeLessThan(1e-4));
    });
  });

  it('explains a bad format, an ONNX folder given to model predict, and a run without a model', async () => {
    const out = path.join(tmp, 'onnx-model');
    expect(await fails(2, 'model', 'export', project, '--run', String(runId), '--out', out, '--format', 'keras')).toMatch(/--format takes tfjs or onnx, not "keras"/);
    expect(await fails(1, 'model', 'predict', out, path.join(tmp, 'footage', 'card-2.mp4'))).toMatch(/holds an ONNX export: run model.onnx with onnxruntime/);
    expect(await fails(1, 'anomaly', 'model', 'export', project, '--out', path.join(tmp, 'a'), '--format', 'onnx')).toMatch(/no anomaly run in this project has a trained model/);
    fs.rmSync(path.join(tmp, project, 'cache', 'runs', String(runId), 'model'), { recursive: true, force: true });
    expect(await fails(1, 'model', 'export', project, '--run', String(runId), '--out', path.join(tmp, 'gone'), '--format', 'onnx')).toMatch(/model files of run \d+ are missing/);
  });
});
