import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVideo } from '../../../../../../tests/fixtures/make-videos.js';
import { useWasm } from '../../../../classify/worker/augment/test-clips.fixture.js';
import type { BackendChoice } from '../../../../engine/backend-choice.js';
import { Rng } from '../../../../engine/random.js';
import { buildAnomalyModel } from '../../model/anomaly-model.js';
import { saveAnomalyModel } from '../../model/anomaly-model-io.js';
import { movingSquareTubes } from '../../model/test-tubes.fixture.js';
import { middleFrameSamples } from '../../tasks/task-samples.js';
import { ANOMALY_TASKS } from '../frame-scores.js';
import { scoreVideo } from '../score-video.js';
import { chooseRegionForward } from './choose-region-forward.js';
import { onnxRegionForward, tubesOf } from './onnx-region-forward.js';
import { threadedOnnxRunner } from './onnx-runner.js';
import { tfjsRegionForward } from './region-forward.js';

let scratch = '';
beforeAll(async () => {
  await useWasm();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-onnx-forward-'));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const cpu: BackendChoice = { name: 'wasm', tfBackend: 'wasm', reason: 'test', tried: [], gpu: false };

async function savedModel(teacherDim: number): Promise<{ model: tf.LayersModel; dir: string }> {
  const model = buildAnomalyModel({ size: 16, channels: 3, width: 4, depth: 2, teacherDim }, { seed: 5 });
  // Batch-norm statistics away from 0/1, as after training, so inference mode is really exercised.
  for (const w of model.weights) {
    if (w.name.includes('moving_mean')) w.write(tf.fill(w.shape as number[], 0.1));
    if (w.name.includes('moving_variance')) w.write(tf.fill(w.shape as number[], 2));
  }
  const dir = path.join(scratch, `model-${teacherDim}`);
  await saveAnomalyModel(model, dir);
  return { model, dir };
}

function expectClose(a: Float32Array, b: Float32Array): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs((a[i] ?? NaN) - (b[i] ?? NaN))).toBeLessThan(1e-4);
}

describe('scoring in ONNX Runtime', () => {
  it('puts the middle frame back between the third and fourth input frames', () => {
    // 2 regions, frames of 1 value: input frames carry 10·region + frame, the middle frame 100 + region.
    const input = Float32Array.from({ length: 12 }, (_, i) => 10 * Math.floor(i / 6) + (i % 6));
    const tubes = tubesOf(input, Float32Array.of(100, 101), 2);
    expect(Array.from(tubes)).toEqual([0, 1, 2, 100, 3, 4, 5, 10, 11, 12, 101, 13, 14, 15]);
    expect(() => tubesOf(input, Float32Array.of(1, 2, 3), 2)).toThrow(/12 input and 3 middle-frame values for 2 regions/);
  });

  it('gives the TF.js scores of every task, the teacher gap included, to 1e-4', async () => {
    const { model, dir } = await savedModel(8);
    const tubes = movingSquareTubes(new Rng(9), { tubes: 5, frames: 7, size: 16, channels: 3 });
    const batch = middleFrameSamples(tubes);
    const teacher = tf.randomUniform<tf.Rank.R2>([5, 8], 0, 1, 'float32', 3);
    // The session in the scoring thread and on a thread of its own.
    const engines = [await onnxRegionForward(dir, { threads: 2, ownThread: false }), await onnxRegionForward(dir, { threads: 2 })];
    try {
      const before = tf.memory().numTensors;
      const expected = await tfjsRegionForward(model).scores(batch, teacher);
      for (const onnx of engines) {
        if (!('forward' in onnx)) throw new Error(onnx.unavailable);
        const got = await onnx.forward.scores(batch, teacher);
        expect(onnx.forward.engine).toBe('onnxruntime');
        expectClose(got.middleFrameError, expected.middleFrameError);
        expectClose(got.backward, expected.backward);
        expectClose(got.irregular, expected.irregular);
        expectClose(got.teacherGap ?? new Float32Array(), expected.teacherGap ?? Float32Array.of(NaN));
      }
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      for (const onnx of engines) if ('forward' in onnx) await onnx.forward.dispose();
      tf.dispose([tubes, batch.input, batch.target, teacher]);
      model.dispose();
    }
  });

  it('scores a real video with the same curve and regions as TF.js, to 1e-4', async () => {
    const { model, dir } = await savedModel(0);
    const video = await makeVideo(path.join(scratch, 'street.mp4'), { width: 160, height: 120, fps: '25', seconds: 2 });
    const onnx = await onnxRegionForward(dir);
    if (!('forward' in onnx)) throw new Error(onnx.unavailable);
    try {
      const expected = await scoreVideo(video, model, { longSide: 160, sigma: 2 });
      const got = await scoreVideo(video, model, { longSide: 160, sigma: 2, forward: onnx.forward });
      expect(got.regionsScored).toBe(expected.regionsScored);
      expect(got.regionsScored).toBeGreaterThan(0);
      expectClose(got.raw, expected.raw);
      expectClose(got.scores, expected.scores);
    } finally {
      await onnx.forward.dispose();
      model.dispose();
    }
  });

  it('with a distilled teacher, scores a real video with the same teacher gap as TF.js, tubes cut in host memory', async () => {
    const { model, dir } = await savedModel(8);
    // An image model of 8 outputs over 16×16 frames, as a run's teacher would be.
    const teacherModel = tf.sequential({ layers: [tf.layers.globalAveragePooling2d({ inputShape: [16, 16, 3] }), tf.layers.dense({ units: 8, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) })] });
    const teacher = { model: teacherModel, height: 16, width: 16, channels: 3 as const, dim: 8, dir: scratch };
    const video = await makeVideo(path.join(scratch, 'street-teacher.mp4'), { width: 160, height: 120, fps: '25', seconds: 2 });
    const onnx = await onnxRegionForward(dir);
    if (!('forward' in onnx)) throw new Error(onnx.unavailable);
    try {
      const before = tf.memory().numTensors;
      const expected = await scoreVideo(video, model, { longSide: 160, sigma: 2, teacher });
      const got = await scoreVideo(video, model, { longSide: 160, sigma: 2, teacher, forward: onnx.forward });
      expect(typeof onnx.forward.hostScores).toBe('function');
      expect(got.tasks).toEqual(expected.tasks);
      expect(got.tasks).toContain(ANOMALY_TASKS.teacherGap);
      expectClose(got.perTask[ANOMALY_TASKS.teacherGap]!, expected.perTask[ANOMALY_TASKS.teacherGap]!);
      expectClose(got.raw, expected.raw);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await onnx.forward.dispose();
      teacherModel.dispose();
      model.dispose();
    }
  });

  it('says why its thread could not run the model: a graph that does not open, a thread that dies', async () => {
    await expect(threadedOnnxRunner(Uint8Array.of(1, 2, 3), 1)).rejects.toThrow(/./);
    const dying = path.join(scratch, 'dying-thread.mjs');
    fs.writeFileSync(dying, 'process.exit(3);\n');
    await expect(threadedOnnxRunner(Uint8Array.of(1, 2, 3), 1, dying)).rejects.toThrow(/the ONNX Runtime thread exited unexpectedly \(exit code 3\)/);
  });

  it('is chosen on a CPU backend, TF.js on a hardware GPU or when forced, and TF.js with the reason when the model cannot convert', async () => {
    const { model, dir } = await savedModel(0);
    try {
      const onCpu = await chooseRegionForward(model, dir, cpu, {});
      expect(onCpu.forward.engine).toBe('onnxruntime');
      await onCpu.forward.dispose();
      expect((await chooseRegionForward(model, dir, { ...cpu, name: 'webgpu', gpu: true }, {})).forward.engine).toBe('tfjs');
      expect((await chooseRegionForward(model, dir, cpu, { VSSL_ANOMALY_FORWARD: 'tfjs' })).forward.engine).toBe('tfjs');
      await expect(chooseRegionForward(model, dir, cpu, { VSSL_ANOMALY_FORWARD: 'gpu' })).rejects.toThrow(/VSSL_ANOMALY_FORWARD must be tfjs or onnxruntime, got gpu/);
      const missing = await chooseRegionForward(model, path.join(scratch, 'no-model'), cpu, {});
      expect(missing.forward.engine).toBe('tfjs');
      expect(missing.note).toMatch(/Scoring with TensorFlow.js \(wasm\): the model could not be read and converted to ONNX/);
    } finally {
      model.dispose();
    }
  });
});
