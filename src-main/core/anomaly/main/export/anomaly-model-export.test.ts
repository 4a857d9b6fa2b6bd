/**
 * A real anomaly run (trained on generated street footage) exported both ways: the ONNX graph, run by
 * onnxruntime on region tubes cut from the footage by the app's own cropper, gives the scores the app
 * computes with the exported TF.js model to 1e-4; metadata, README and Python onnx's checker agree.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection } from '../../../../../tests/fixtures/api-rejection.js';
import { importAndWait, openTestProject, videoAt, waitForJobs, type TestProject } from '../../../../../tests/fixtures/core-harness.js';
import { inProcessEngine } from '../../../../../tests/fixtures/review-project.js';
import { maxAbsDiff, pythonCheckOrSkip, runOnnx } from '../../../engine/onnx/onnx-parity.fixture.js';
import { openFrameStream } from '../../worker/frames/frame-stream.js';
import { loadAnomalyModel } from '../../worker/model/anomaly-model-io.js';
import { sampleScores } from '../../worker/model/anomaly-region-scores.js';
import { WindowFrameTensors, type IndexedFrame } from '../../worker/score/window-frame-tensors.js';
import { makeStreetVideo } from '../test-footage.fixture.js';
import { anomalyModelMetadataSchema } from './anomaly-model-metadata.js';
import { ANOMALY_ONNX_INPUT, ANOMALY_ONNX_OUTPUTS as OUT } from './anomaly-onnx.js';

let t: TestProject;
let runId = 0;
let video = '';
const LONG_SIDE = 80;

beforeAll(async () => {
  t = await openTestProject({ engine: inProcessEngine, author: 'tester' });
  video = await makeStreetVideo(path.join(t.media, 'street.mp4'), { frames: 40 });
  await importAndWait(t.core, [t.media]);
  const { id } = await videoAt(t.core, video);
  const settings = { epochs: 1, batchSize: 8, size: 16, width: 4, depth: 2, maxTubes: 16, sampleFps: 0, windowStride: 4, longSide: LONG_SIDE };
  runId = (await t.core.call('anomaly:train', { settings, normalVideoIds: [id] })).id;
  await waitForJobs(t.core);
}, 120_000);
afterAll(async () => {
  await t?.dispose();
});

/** Tubes [N, 7, S, S, C] from the video's first 7 frames, cut by the app's cropper at a few boxes. */
async function realSamples(size: number, channels: number): Promise<{ input: tf.Tensor5D; target: tf.Tensor4D; tubes: tf.Tensor5D }> {
  const stream = await openFrameStream(video, { longSide: LONG_SIDE });
  const frames: IndexedFrame[] = [];
  for await (const frame of stream) {
    frames.push({ index: frame.index, rgb: frame.rgb });
    if (frames.length === 7) break;
  }
  stream.close();
  const cropper = new WindowFrameTensors(stream.width, stream.height);
  const boxes = [
    { x: 0, y: 0, width: 32, height: 32 },
    { x: 20, y: 10, width: 40, height: 40 },
    { x: stream.width - 24, y: stream.height - 24, width: 24, height: 24 },
  ];
  const { input, target } = cropper.cropSamples(frames, boxes, size, channels);
  cropper.dispose();
  const tubes = tf.tidy(() => {
    const [before, after] = tf.split<tf.Tensor5D>(input, [3, 3], 1);
    return tf.concat<tf.Tensor5D>([before!, tf.expandDims<tf.Tensor5D>(target, 1), after!], 1);
  });
  return { input, target, tubes };
}

describe('anomaly model export', () => {
  it('writes an ONNX graph that reproduces the app’s per-region scores on real footage', async () => {
    const run = await t.core.call('anomaly:run', { id: runId });
    expect(run).toMatchObject({ status: 'succeeded', hasModel: true });
    const onnxDir = path.join(t.tmp, 'anomaly-onnx');
    const tfjsDir = path.join(t.tmp, 'anomaly-tfjs');
    const onnxReport = await t.core.call('anomaly:model:export', { runId, dir: onnxDir, format: 'onnx' });
    expect(onnxReport).toEqual({ dir: onnxDir, format: 'onnx', files: ['README.md', 'metadata.json', 'model.onnx'] });
    const tfjsReport = await t.core.call('anomaly:model:export', { runId, dir: tfjsDir });
    expect(tfjsReport.format).toBe('tfjs');
    expect(tfjsReport.files).toEqual(expect.arrayContaining(['metadata.json', 'model.json', 'weights.bin']));

    const metadata = anomalyModelMetadataSchema.parse(JSON.parse(fs.readFileSync(path.join(onnxDir, 'metadata.json'), 'utf8')));
    expect(metadata).toMatchObject({
      run: { id: runId, epochs: 1 },
      input: { tubeFrames: 7, size: 16, channels: 3, scale: 1 / 255, longSide: LONG_SIDE },
      files: { model: 'model.onnx' },
      onnx: { opset: 17, mcDropout: 'omitted', inputs: [{ name: 'tubes', shape: ['batch', 7, 16, 16, 3] }] },
      teacher: { dim: 0 },
    });
    const readme = fs.readFileSync(path.join(onnxDir, 'README.md'), 'utf8');
    expect(readme).toContain('onnxruntime');
    expect(readme).toMatch(/min–max normalised/);
    expect(pythonCheckOrSkip(fs.readFileSync(path.join(onnxDir, 'model.onnx')), 'run-anomaly.onnx')).toBe('');

    const { model, spec } = await loadAnomalyModel(tfjsDir);
    const samples = await realSamples(spec.size, spec.channels);
    const app = await sampleScores(model, samples);
    const got = await runOnnx(fs.readFileSync(path.join(onnxDir, 'model.onnx')), { [ANOMALY_ONNX_INPUT]: samples.tubes });
    expect(got[OUT.backward]?.dims).toEqual([3]);
    expect(maxAbsDiff(got[OUT.backward]?.data ?? [], app.backward)).toBeLessThan(1e-4);
    expect(maxAbsDiff(got[OUT.irregular]?.data ?? [], app.irregular)).toBeLessThan(1e-4);
    expect(maxAbsDiff(got[OUT.middleFrameError]?.data ?? [], app.middleFrameError)).toBeLessThan(1e-4);
    tf.dispose([samples.input, samples.target, samples.tubes]);
    model.dispose();
  });

  it('says why a run cannot be exported', async () => {
    const unknown = await rejection(t.core.call('anomaly:model:export', { runId: 999, dir: path.join(t.tmp, 'none'), format: 'onnx' }));
    expect(unknown.code).toBe('NOT_FOUND');
    fs.rmSync(path.join(t.projectDir, 'cache', 'anomaly-runs', String(runId), 'model'), { recursive: true, force: true });
    const gone = await rejection(t.core.call('anomaly:model:export', { runId, dir: path.join(t.tmp, 'gone'), format: 'onnx' }));
    expect([gone.code, gone.message]).toEqual(['NOT_FOUND', expect.stringMatching(/model files of anomaly run \d+ are missing/)]);
  });
});
