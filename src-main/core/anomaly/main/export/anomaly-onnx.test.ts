/**
 * The SSMTL anomaly model exported to ONNX, with and without a distillation head: from the same region
 * tubes, onnxruntime gives the app's heads and its per-region scores (regionScores) to 1e-4.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { Rng } from '../../../engine/random.js';
import { maxAbsDiff, pythonCheckOrSkip, removeTempDirs, runOnnx, savedKerasModel } from '../../../engine/onnx/onnx-parity.fixture.js';
import { buildAnomalyModel } from '../../worker/model/anomaly-model.js';
import type { AnomalyModelSpec } from '../../worker/model/anomaly-model-spec.js';
import { regionScores } from '../../worker/model/anomaly-region-scores.js';
import { movingSquareTubes } from '../../worker/model/test-tubes.fixture.js';
import { middleFrameSamples } from '../../worker/tasks/task-samples.js';
import { ANOMALY_ONNX_INPUT, ANOMALY_ONNX_OUTPUTS as OUT, anomalyOnnx } from './anomaly-onnx.js';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
});
afterAll(removeTempDirs);

const INFO = { producerVersion: 'test', docString: '', metadata: {} };

async function expectSameScores(spec: AnomalyModelSpec): Promise<void> {
  const model = buildAnomalyModel(spec, { seed: 2 });
  const keras = await savedKerasModel(model);
  const exported = anomalyOnnx(keras, INFO);
  expect(exported.teacherDim).toBe(spec.teacherDim);
  const tubes = movingSquareTubes(new Rng(3), { tubes: 5, frames: 7, size: spec.size, channels: spec.channels });
  const scores = await regionScores(model, tubes);
  const got = await runOnnx(exported.bytes, { [ANOMALY_ONNX_INPUT]: tubes });
  expect(maxAbsDiff(got[OUT.backward]?.data ?? [], scores.backward)).toBeLessThan(1e-4);
  expect(maxAbsDiff(got[OUT.irregular]?.data ?? [], scores.irregular)).toBeLessThan(1e-4);
  expect(maxAbsDiff(got[OUT.middleFrameError]?.data ?? [], scores.middleFrameError)).toBeLessThan(1e-4);
  // The raw heads too: a user who wants the teacher gap compares teacher_features with the teacher's own.
  const samples = middleFrameSamples(tubes);
  const heads = model.predict(samples.input) as tf.Tensor[];
  const names = [OUT.arrowLogits, OUT.irregularLogits, OUT.middleFrame, ...(spec.teacherDim > 0 ? [OUT.teacherFeatures] : [])];
  expect(Object.keys(got).sort()).toEqual([...names, OUT.backward, OUT.irregular, OUT.middleFrameError].sort());
  names.forEach((name, i) => {
    expect(got[name]?.dims, name).toEqual(heads[i]?.shape);
    expect(maxAbsDiff(got[name]?.data ?? [], heads[i]?.dataSync() ?? []), name).toBeLessThan(1e-4);
  });
  expect(pythonCheckOrSkip(exported.bytes, 'anomaly.onnx')).toBe('');
  tf.dispose([tubes, samples.input, samples.target, ...heads]);
  model.dispose();
}

describe('anomaly model ONNX export', () => {
  it('reproduces the heads and per-region scores, RGB and grey, depth 1 and 2', async () => {
    const before = tf.memory().numTensors;
    await expectSameScores({ size: 16, channels: 3, width: 4, depth: 2, teacherDim: 0 });
    await expectSameScores({ size: 8, channels: 1, width: 3, depth: 1, teacherDim: 0 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('exports the distillation head of a model trained with a teacher', async () => {
    await expectSameScores({ size: 16, channels: 3, width: 4, depth: 2, teacherDim: 7 });
  });
});
