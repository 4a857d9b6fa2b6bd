import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainSettingsSchema, type TrainingMethod } from '../../../../shared/training.js';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { buildModel, inputShapeOf } from '../models/build-model.js';
import { classifierOf, headsFor, PROJECTION_DIM } from '../models/extra-heads.js';
import { loadModel, saveModel } from '../../../engine/worker/model-io.js';
import { modelSpecFromSettings } from '../models/model-spec.js';
import { Rng } from '../../../engine/random.js';
import { doubleSpeed, stepTensors } from '../train/step-tensors.js';
import { svtTeacherStep } from '../train/svt-teacher.js';
import { EmaWeights } from './ema-weights.js';
import { computeStepGradients } from './step-gradients.js';
import { SvtCentre, SVT_STUDENT_VIEWS, SVT_TEACHER_VIEWS } from './svt-loss.js';

let scratch = '';
beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-heads-'));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const classes = 3;
const TEACHER_DIM = 5;
const settingsFor = (method: TrainingMethod, extra: Record<string, unknown> = {}) =>
  trainSettingsSchema.parse({ method, frames: 4, size: 16, width: 4, depth: 2, dropout: 0, threshold: 0.3, ...extra });

function clips(n: number, seed: number): tf.Tensor5D {
  return tf.randomUniform<tf.Rank.R5>([n, 4, 16, 16, 3], 0, 1, 'float32', seed);
}

/** One probability row per clip, seeded. */
/** One clip's bytes (4 frames of 16×16), different for each `seed`. */
function clipBytes(seed: number): Uint8Array {
  return Uint8Array.from({ length: 4 * 16 * 16 * 3 }, (_, i) => (i * 7 + seed * 31 + (i >> 6) * 13) & 255);
}

function teacherRows(n: number, seed: number): Float32Array[] {
  return Array.from({ length: n }, (_, i) => {
    const raw = Array.from({ length: TEACHER_DIM }, (_, k) => Math.exp(Math.sin(seed * 31 + i * 7 + k)));
    const sum = raw.reduce((a, b) => a + b, 0);
    return Float32Array.from(raw.map((v) => v / sum));
  });
}

function gradientOf(model: tf.LayersModel, grads: tf.Tensor[], layer: string): number {
  let largest = 0;
  model.trainableWeights.forEach((w, i) => {
    if (w.originalName.startsWith(`${layer}/`)) largest = Math.max(largest, tf.tidy(() => tf.max(tf.abs(grads[i] as tf.Tensor)).dataSync()[0] ?? 0));
  });
  return largest;
}

describe('a model with training-only heads', () => {
  it('predicts, saves and exports as the classifier alone, on the same weights', async () => {
    const settings = settingsFor('videossl', { pretrainEpochs: 2 });
    const heads = headsFor(settings, TEACHER_DIM);
    expect(heads).toEqual({ teacher: TEACHER_DIM, projection: PROJECTION_DIM });
    const before = tf.memory().numTensors;
    const model = buildModel(modelSpecFromSettings(settings, classes, heads), { seed: 3 });
    const x = clips(2, 1);
    const full = model.predict(x) as tf.Tensor2D;
    expect(full.shape).toEqual([2, classes + TEACHER_DIM + PROJECTION_DIM]);
    const classifier = classifierOf(model);
    const logits = classifier.predict(x) as tf.Tensor2D;
    expect(logits.shape).toEqual([2, classes]);
    const firstColumns = tf.slice(full, [0, 0], [2, classes]);
    expect(Array.from(logits.dataSync())).toEqual(Array.from(firstColumns.dataSync()));

    const dir = path.join(scratch, 'classifier');
    await saveModel(classifier, dir);
    const loaded = await loadModel(dir);
    expect(inputShapeOf(loaded)).toEqual({ frames: 4, size: 16, classes });
    const again = loaded.predict(x) as tf.Tensor2D;
    const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(again, logits))).dataSync()[0] ?? 1);
    expect(gap).toBeLessThan(1e-5);
    expect(loaded.layers.some((l) => l.name === 'teacher_head' || l.name === 'projection')).toBe(false);
    tf.dispose([x, full, logits, firstColumns, again]);
    loaded.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('VideoSSL step gradients', () => {
  it('add λd · KL(teacher ‖ head) to the pseudo-label loss, and train the head only through it', async () => {
    const heads = { teacher: TEACHER_DIM, projection: 0 };
    const model = buildModel(modelSpecFromSettings(settingsFor('videossl'), classes, heads), { seed: 5 });
    const x = clips(4, 2);
    const y = tf.tensor1d([0, 1, 2, 0], 'int32');
    const weak = clips(6, 3);
    const teacher = { labelled: teacherRows(4, 1), unlabelled: teacherRows(6, 2) };
    const before = tf.memory().numTensors;
    const common = { model, labelled: { x, y }, unlabelledWeak: weak, step: 0, totalSteps: 10, rule: { kind: 'fixed', threshold: 0.3 } as const, teacher, heads };
    const withTeacher = await computeStepGradients({ ...common, settings: settingsFor('videossl', { distillWeight: 1 }) });
    const without = await computeStepGradients({ ...common, settings: settingsFor('videossl', { distillWeight: 0 }) });
    try {
      // Dropout is off, so both steps see the same logits: the difference is exactly the distillation term.
      const pseudoLabelPart = without.values.supervisedLoss + without.lambdaU * without.values.unsupervisedLoss;
      expect(without.values.loss).toBeCloseTo(pseudoLabelPart, 5);
      expect(withTeacher.values.loss).toBeGreaterThan(pseudoLabelPart + 1e-4);
      expect(gradientOf(model, withTeacher.grads, 'teacher_head')).toBeGreaterThan(0);
      expect(gradientOf(model, without.grads, 'teacher_head')).toBe(0);
    } finally {
      tf.dispose([...withTeacher.grads, ...without.grads]);
    }
    expect(tf.memory().numTensors).toBe(before);
    await expect(computeStepGradients({ ...common, teacher: null, settings: settingsFor('videossl') })).rejects.toThrow(/teacher's output for every clip/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, weak]);
    model.dispose();
  });
});

describe('a self-supervised pretraining step', () => {
  it('trains the network and its projection through the contrastive loss, leaving the classifier as it was', async () => {
    const settings = settingsFor('fixmatch', { pretrainEpochs: 1, pretrainObjective: 'contrast' });
    const heads = headsFor(settings, 0);
    const model = buildModel(modelSpecFromSettings(settings, classes, heads), { seed: 6 });
    const all = clips(8, 4);
    const fast = doubleSpeed(all);
    const unused = tf.tensor1d([], 'int32');
    const before = tf.memory().numTensors;
    const result = await computeStepGradients({
      model,
      settings,
      labelled: { x: all, y: unused },
      unlabelledAux: fast,
      step: 0,
      totalSteps: 10,
      heads,
      stage: 'pretrain',
    });
    try {
      expect(Number.isFinite(result.values.loss)).toBe(true);
      expect(result.values.loss).toBeGreaterThan(0);
      expect(result.values.supervisedLoss).toBe(0);
      expect(result.values.unsupervisedLoss).toBeCloseTo(result.values.loss, 5);
      expect(gradientOf(model, result.grads, 'logits')).toBe(0);
      expect(gradientOf(model, result.grads, 'projection')).toBeGreaterThan(0);
      expect(gradientOf(model, result.grads, 'block1_spatial_conv')).toBeGreaterThan(0);
    } finally {
      tf.dispose(result.grads);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([all, fast, unused]);
    model.dispose();
  });
  it("SVT: trains the network and its projection towards the teacher's targets, leaving the classifier as it was", async () => {
    const settings = settingsFor('fixmatch', { pretrainEpochs: 1, pretrainObjective: 'svt' });
    const heads = headsFor(settings, 0);
    const model = buildModel(modelSpecFromSettings(settings, classes, heads), { seed: 6 });
    const bytes = { labelled: [0, 1].map((i) => clipBytes(i)), labels: [0, 1], unlabelled: [2, 3, 4].map((i) => clipBytes(i)) };
    const spec = { frames: settings.frames, size: settings.size, fps: settings.fps };
    const ema = new EmaWeights(model, settings.emaDecay);
    const teacher = await svtTeacherStep({ model, ema, heads, centre: SvtCentre.zeros(heads.projection) }, bytes, spec, settings, new Rng(4));
    expect(teacher.targets.labelled).toHaveLength(2);
    expect(teacher.targets.unlabelled).toHaveLength(3);
    for (const row of [...teacher.targets.labelled, ...teacher.targets.unlabelled]) {
      // Two global views' softmax targets side by side, each summing to 1.
      expect(row).toHaveLength(SVT_TEACHER_VIEWS * heads.projection);
      expect(row.slice(0, heads.projection).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(row.slice(heads.projection).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }
    const made = stepTensors(bytes, spec, settings, new Rng(5), 'pretrain');
    expect(made.labelled.x.shape).toEqual([SVT_STUDENT_VIEWS * 5, settings.frames, settings.size, settings.size, 3]);
    const before = tf.memory().numTensors;
    const result = await computeStepGradients({ model, settings, labelled: made.labelled, teacher: teacher.targets, step: 0, totalSteps: 10, heads, stage: 'pretrain' });
    try {
      expect(result.values.loss).toBeGreaterThan(0);
      expect(result.values.supervisedLoss).toBe(0);
      expect(result.values.unsupervisedLoss).toBeCloseTo(result.values.loss, 5);
      expect(gradientOf(model, result.grads, 'logits')).toBe(0);
      expect(gradientOf(model, result.grads, 'projection')).toBeGreaterThan(0);
      expect(gradientOf(model, result.grads, 'block1_spatial_conv')).toBeGreaterThan(0);
    } finally {
      tf.dispose(result.grads);
    }
    expect(tf.memory().numTensors).toBe(before);
    await expect(computeStepGradients({ model, settings, labelled: made.labelled, step: 0, totalSteps: 10, heads, stage: 'pretrain' })).rejects.toThrow(/needs the teacher's targets/);
    tf.dispose(made.owned);
    ema.dispose();
    model.dispose();
  });
});
