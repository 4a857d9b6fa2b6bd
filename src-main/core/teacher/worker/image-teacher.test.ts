import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVideo } from '../../../../tests/fixtures/make-videos.js';
import { resolveMediaTools } from '../../media/media-tools.js';
import { selectBackend } from '../../engine/worker/backend/select-backend.js';
import { saveModel } from '../../engine/worker/model-io.js';
import { loadAnomalyModel } from '../../anomaly/worker/model/anomaly-model-io.js';
import { buildAnomalyModel } from '../../anomaly/worker/model/anomaly-model.js';
import { ANOMALY_TASKS } from '../../anomaly/worker/score/frame-scores.js';
import { scoreVideo } from '../../anomaly/worker/score/score-video.js';
import type { AnomalyTrainMessage } from '../../anomaly/jobs.js';
import { runAnomalyTraining } from '../../anomaly/worker/train/run-anomaly-training.js';
import { inProcessHost } from '../../engine/job.js';
import { MODEL_DIR } from '../../engine/model-files.js';
import { keepTeacherWithModel, loadImageTeacher, loadRunTeacher, teacherFeatures } from './image-teacher.js';

let dir: string;
let teacherDir: string;

/** A small image classifier with set weights: bright images are class 0, dark ones class 1. */
async function makeTeacher(into: string): Promise<void> {
  const model = tf.sequential({
    layers: [tf.layers.globalAveragePooling2d({ inputShape: [12, 12, 3] }), tf.layers.dense({ units: 2, activation: 'softmax' })],
  });
  const weights = [tf.tensor2d([[4, -4], [4, -4], [4, -4]]), tf.tensor1d([-6, 6])];
  model.layers[1]!.setWeights(weights);
  tf.dispose(weights);
  await saveModel(model, into);
  model.dispose();
}

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-teacher-'));
  teacherDir = path.join(dir, 'teacher');
  await makeTeacher(teacherDir);
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('image teacher', () => {
  it('loads a layers image model and gives one row of its output per frame, adapting size and channels', async () => {
    const before = tf.memory().numTensors;
    const teacher = await loadImageTeacher(teacherDir);
    expect({ height: teacher.height, width: teacher.width, channels: teacher.channels, dim: teacher.dim }).toEqual({ height: 12, width: 12, channels: 3, dim: 2 });
    // Grey 16×16 frames: tiled to RGB and resized to 12×12; bright → class 0, dark → class 1.
    const frames = tf.tidy(() => tf.concat<tf.Tensor4D>([tf.fill([1, 16, 16, 1], 0.95), tf.fill([1, 16, 16, 1], 0.05)]));
    const features = teacherFeatures(teacher, frames);
    expect(features.shape).toEqual([2, 2]);
    const [bright, dark] = (await features.array()) as [number[], number[]];
    expect(bright[0]).toBeGreaterThan(0.5);
    expect(dark[1]).toBeGreaterThan(0.5);
    tf.dispose([frames, features]);
    teacher.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a folder without a model, and a model that does not take images, saying why', async () => {
    await expect(loadImageTeacher(path.join(dir, 'nowhere'))).rejects.toThrow(/teacher at .*nowhere cannot be used: .*model\.json/);
    const notAnImageModel = path.join(dir, 'video-model');
    const video = buildAnomalyModel({ size: 16, channels: 3, width: 4, depth: 2, teacherDim: 0 }, { seed: 1 });
    await saveModel(video, notAnImageModel);
    video.dispose();
    await expect(loadImageTeacher(notAnImageModel)).rejects.toThrow(/inputs and 3 outputs|takes images/);
  });

  it('travels with the run model: loadRunTeacher finds the copy, or null when the run had none', async () => {
    const modelDir = path.join(dir, 'run-model');
    expect(await loadRunTeacher(modelDir)).toBeNull();
    await keepTeacherWithModel(teacherDir, modelDir);
    const copy = await loadRunTeacher(modelDir);
    expect(copy?.dim).toBe(2);
    copy?.model.dispose();
  });

  it('trains a distillation head on real footage and scores its gap as a fourth task', async () => {
    const footage = await makeVideo(path.join(dir, 'normal.mp4'), { seconds: 3, width: 160, height: 120 });
    const runDir = path.join(dir, 'run');
    const messages: AnomalyTrainMessage[] = [];
    const before = tf.memory().numTensors;
    await runAnomalyTraining(
      {
        runId: 1,
        settings: { epochs: 2, batchSize: 5, learningRate: 3e-3, seed: 3, size: 16, channels: 3, width: 4, depth: 2, maxTubes: 10, sampleFps: 0, windowStrideSeconds: 0.2, windowStride: 4, longSide: 80, teacherDir },
        normal: [{ file: footage }],
        runDir,
        tools: resolveMediaTools(),
        backend: 'wasm',
        resume: false,
      },
      inProcessHost((m) => messages.push(m)),
    );
    const epochs = messages.filter((m) => m.type === 'epoch').map((m) => m.metrics);
    expect(epochs).toHaveLength(2);
    for (const m of epochs) {
      expect(m.teacherLoss).toBeGreaterThan(0);
      expect(m.loss).toBeCloseTo(m.middleFrameLoss + m.arrowLoss + m.irregularLoss + 0.5 * m.teacherLoss!, 4);
    }
    const modelDir = path.join(runDir, MODEL_DIR);
    const { model, spec } = await loadAnomalyModel(modelDir);
    const teacher = await loadRunTeacher(modelDir);
    try {
      expect(spec.teacherDim).toBe(2);
      const scored = await scoreVideo(footage, model, { longSide: 80, teacher });
      expect(scored.tasks).toContain(ANOMALY_TASKS.teacherGap);
      const gap = scored.perTask[ANOMALY_TASKS.teacherGap]!;
      expect(gap).toHaveLength(scored.frameCount);
      expect(gap.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);
    } finally {
      model.dispose();
      teacher?.model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
