import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { buildModel } from '../models/build-model.js';
import { EmaWeights } from './ema-weights.js';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
});

const spec = { architecture: 'frame2d', classes: 2, frames: 2, size: 8, width: 2, depth: 1, dropout: 0 } as const;

function values(model: tf.LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

it('averages trainable weights with a warmed-up decay, copies the rest, and swaps them in and out', async () => {
  const model = buildModel(spec, { seed: 1 });
  const ema = new EmaWeights(model, 0.999);
  const initial = values(model);
  expect(ema.currentDecay()).toBeCloseTo(1 / 10, 12);
  // Move every weight by +1 and update: shadow = 0.1·old + 0.9·new for trainable weights, new for the rest.
  const before = tf.memory().numTensors;
  model.setWeights(tf.tidy(() => model.getWeights().map((w) => tf.add(w, 1))).map((t) => t));
  ema.update(model);
  expect(ema.updates).toBe(1);
  expect(ema.currentDecay()).toBeCloseTo(2 / 11, 12);
  const shadow = ema.tensors().map((t) => Array.from(t.dataSync()));
  model.weights.forEach((w, i) => {
    const shift = w.trainable ? 0.9 : 1;
    shadow[i]?.forEach((v, j) => expect(v).toBeCloseTo((initial[i]?.[j] ?? NaN) + shift, 5));
  });
  const live = values(model);
  const seen = await ema.withEma(model, () => values(model));
  expect(seen).toEqual(shadow);
  expect(values(model)).toEqual(live);
  for (let i = 0; i < 5; i++) ema.update(model);
  expect(tf.memory().numTensors - before).toBeLessThanOrEqual(model.weights.length);
  expect(() => ema.restore(model)).toThrow(/restore without apply/);
  ema.dispose();
  model.dispose();
});

it('caps the decay at the setting once warmed up', () => {
  const model = buildModel(spec, { seed: 1 });
  const ema = new EmaWeights(model, 0.5);
  for (let i = 0; i < 7; i++) ema.update(model);
  expect(ema.currentDecay()).toBeCloseTo(8 / 17, 12);
  ema.update(model);
  expect(ema.currentDecay()).toBe(0.5);
  ema.dispose();
  model.dispose();
});

it("takes an update's own decay when given one (SVT's teacher momentum), and refuses one outside [0, 1]", () => {
  const model = buildModel(spec, { seed: 1 });
  const ema = new EmaWeights(model, 0.999);
  const initial = values(model);
  model.setWeights(tf.tidy(() => model.getWeights().map((w) => tf.add(w, 1))));
  ema.update(model, 0.75);
  const shadow = ema.tensors().map((t) => Array.from(t.dataSync()));
  model.weights.forEach((w, i) => {
    // shadow = 0.75·old + 0.25·new for trainable weights, new for the rest.
    const shift = w.trainable ? 0.25 : 1;
    shadow[i]?.forEach((v, j) => expect(v).toBeCloseTo((initial[i]?.[j] ?? NaN) + shift, 5));
  });
  // A decay of 1 holds the teacher where it is.
  ema.update(model, 1);
  expect(ema.tensors().map((t) => Array.from(t.dataSync()))).toEqual(shadow);
  expect(() => ema.update(model, 1.5)).toThrow(/EMA decay must be in \[0, 1\], got 1.5/);
  ema.dispose();
  model.dispose();
});
