/**
 * Every classifier shape the app trains, exported to ONNX: onnxruntime gives the app's own
 * probabilities (softmax of model.predict, no MC-dropout) to 1e-4; the graph passes Python onnx's checker.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../engine/worker/backend/select-backend.js';
import { buildModel } from '../worker/models/build-model.js';
import { classifierOf } from '../worker/models/extra-heads.js';
import type { ModelSpec } from '../worker/models/model-spec.js';
import { maxAbsDiff, pythonCheckOrSkip, removeTempDirs, runOnnx, savedKerasModel } from '../../engine/onnx/onnx-parity.fixture.js';
import { CLASSIFIER_ONNX_INPUT, CLASSIFIER_ONNX_OUTPUT, classifierOnnx } from './classifier-onnx.js';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
});
afterAll(removeTempDirs);

const INFO = { producerVersion: 'test', docString: '', metadata: {} };

/** Moving statistics away from 0/1 so batch norm is not an identity in the comparison. */
function trainLikeStatistics(model: tf.LayersModel): void {
  const updated = model.weights.map((w, i) => {
    const value = w.read();
    if (w.name.includes('moving_variance')) return tf.randomUniform(value.shape, 0.5, 2, 'float32', i);
    if (w.name.includes('moving_mean') || w.name.includes('beta')) return tf.randomUniform(value.shape, -0.3, 0.3, 'float32', i);
    return tf.clone(value);
  });
  model.setWeights(updated);
  tf.dispose(updated);
}

async function expectSameProbabilities(spec: ModelSpec): Promise<void> {
  const model = buildModel(spec, { seed: 4 });
  trainLikeStatistics(model);
  const classifier = classifierOf(model);
  const keras = await savedKerasModel(model);
  const { bytes, classes, inputShape } = classifierOnnx(keras, INFO);
  expect(classes).toBe(spec.classes);
  expect(inputShape).toEqual([spec.frames, spec.size, spec.size, 3]);
  const clips = tf.randomUniform([3, spec.frames, spec.size, spec.size, 3], 0, 1, 'float32', 9);
  const expected = tf.tidy(() => tf.softmax(classifier.predict(clips) as tf.Tensor2D));
  const got = (await runOnnx(bytes, { [CLASSIFIER_ONNX_INPUT]: clips }))[CLASSIFIER_ONNX_OUTPUT];
  expect(got?.dims).toEqual([3, spec.classes]);
  expect(maxAbsDiff(got?.data ?? [], expected.dataSync())).toBeLessThan(1e-4);
  const one = tf.slice(clips, 0, 1);
  const single = (await runOnnx(bytes, { [CLASSIFIER_ONNX_INPUT]: one }))[CLASSIFIER_ONNX_OUTPUT];
  expect(maxAbsDiff(single?.data ?? [], expected.dataSync().slice(0, spec.classes))).toBeLessThan(1e-4);
  one.dispose();
  expect(pythonCheckOrSkip(bytes, 'classifier.onnx')).toBe('');
  tf.dispose([clips, expected]);
  model.dispose();
}

describe('classifier ONNX export', () => {
  const base: ModelSpec = { architecture: 'r2plus1d', classes: 3, frames: 4, size: 16, width: 4, depth: 1, dropout: 0.5 };

  for (const architecture of ['r2plus1d', 'frame2d'] as const) {
    it(`${architecture}: depth 1 to 3, odd side, and the batch size is free`, async () => {
      const before = tf.memory().numTensors;
      for (const depth of [1, 2, 3]) await expectSameProbabilities({ ...base, architecture, depth });
      await expectSameProbabilities({ ...base, architecture, size: 15, frames: 3, depth: 2, classes: 5 });
      expect(tf.memory().numTensors).toBe(before);
    });

    it(`${architecture}: the training-only heads (distillation, projection) stay out of the graph`, async () => {
      await expectSameProbabilities({ ...base, architecture, depth: 2, heads: { teacher: 6, projection: 8 } });
      await expectSameProbabilities({ ...base, architecture, heads: { teacher: 0, projection: 8 } });
    });
  }

  it('refuses a model without a logits layer', async () => {
    const input = tf.input({ shape: [4], name: 'clips' });
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2, name: 'scores' }).apply(input) as tf.SymbolicTensor });
    const keras = await savedKerasModel(model);
    expect(() => classifierOnnx(keras, INFO)).toThrow(/not a VSSL classifier: it has no logits layer/);
    model.dispose();
  });
});
