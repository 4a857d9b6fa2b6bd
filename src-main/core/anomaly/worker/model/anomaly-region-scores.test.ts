import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { Rng } from '../../../engine/random.js';
import { ANOMALY_TASKS, frameScores } from '../score/frame-scores.js';
import { buildAnomalyModel } from './anomaly-model.js';
import { regionScores, taskScoresOf } from './anomaly-region-scores.js';
import { movingSquareTubes } from './test-tubes.fixture.js';

const spec = { size: 16, channels: 3, width: 4, depth: 2, teacherDim: 3 };
let model: tf.LayersModel;
let tubes: tf.Tensor5D;
let teacherFeatures: tf.Tensor2D;
let tensorsBefore = 0;

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
  expect(tf.getBackend()).toBe('wasm');
});
beforeEach(() => {
  tensorsBefore = tf.memory().numTensors;
  model = buildAnomalyModel(spec, { seed: 5 });
  tubes = movingSquareTubes(new Rng(8), { tubes: 5, frames: 7, size: 16, channels: 3 });
  teacherFeatures = tf.tensor2d(Float32Array.from({ length: 15 }, (_, i) => i / 15), [5, 3]);
});
afterEach(() => {
  tf.dispose([tubes, teacherFeatures]);
  model.dispose();
  expect(tf.memory().numTensors).toBe(tensorsBefore);
});

/** Each head's raw output, row by row, from a plain predict on frames 0, 1, 2, 4, 5, 6. */
function rawOutputs(): { arrow: number[][]; irregular: number[][]; middle: number[][]; teacher: number[][]; target: number[][] } {
  return tf.tidy(() => {
    const input = tf.concat([tf.slice(tubes, [0, 0, 0, 0, 0], [-1, 3, -1, -1, -1]), tf.slice(tubes, [0, 4, 0, 0, 0], [-1, 3, -1, -1, -1])], 1);
    const target = tf.slice(tubes, [0, 3, 0, 0, 0], [-1, 1, -1, -1, -1]);
    const [arrow, irregular, middle, teacher] = (model.predict(input) as tf.Tensor[]).map((t) => t.reshape([5, -1]).arraySync() as number[][]);
    return { arrow: arrow!, irregular: irregular!, middle: middle!, teacher: teacher!, target: target.reshape([5, -1]).arraySync() as number[][] };
  });
}

const softmaxSecond = ([a, b]: number[]) => Math.exp(b!) / (Math.exp(a!) + Math.exp(b!));
const meanAbsGap = (x: number[], y: number[]) => x.reduce((sum, v, i) => sum + Math.abs(v - y[i]!), 0) / x.length;

describe('regionScores', () => {
  it('gives middle-frame MAE, P(backward), P(irregular) and the teacher gap per region, as computed by hand from the heads', async () => {
    const raw = rawOutputs();
    const teacher = teacherFeatures.arraySync();
    const scores = await regionScores(model, tubes, { teacherFeatures });
    for (let r = 0; r < 5; r++) {
      expect(scores.middleFrameError[r]).toBeCloseTo(meanAbsGap(raw.middle[r]!, raw.target[r]!), 5);
      expect(scores.backward[r]).toBeCloseTo(softmaxSecond(raw.arrow[r]!), 5);
      expect(scores.irregular[r]).toBeCloseTo(softmaxSecond(raw.irregular[r]!), 5);
      expect(scores.teacherGap?.[r]).toBeCloseTo(meanAbsGap(raw.teacher[r]!, teacher[r]!), 5);
    }
    expect(scores.middleFrameError).toBeInstanceOf(Float32Array);
  });

  it('gives the same scores in small chunks as in one pass, and no teacher gap without teacher features', async () => {
    const whole = await regionScores(model, tubes, { teacherFeatures });
    const chunked = await regionScores(model, tubes, { teacherFeatures, batchSize: 2 });
    for (const key of ['middleFrameError', 'backward', 'irregular', 'teacherGap'] as const) {
      Array.from(chunked[key]!).forEach((v, i) => expect(v).toBeCloseTo(whole[key]![i]!, 5));
    }
    const plain = await regionScores(model, tubes);
    expect(plain.teacherGap).toBeNull();
    expect(Array.from(plain.backward)).toEqual(Array.from(whole.backward));
  });

  it('names the scores as frameScores takes them', async () => {
    const scores = await regionScores(model, tubes, { teacherFeatures });
    const named = taskScoresOf(scores);
    expect(named.tasks).toEqual([ANOMALY_TASKS.middleFrameError, ANOMALY_TASKS.backward, ANOMALY_TASKS.irregular, ANOMALY_TASKS.teacherGap]);
    expect(named.scores[ANOMALY_TASKS.backward]).toBe(scores.backward);
    const frames = frameScores({ centres: [3, 4, 5, 6, 7], scores: named.scores }, { frameCount: 11, tasks: named.tasks });
    expect(frames.frame).toHaveLength(11);
    expect(Math.max(...frames.frame)).toBeGreaterThan(0);
    expect(taskScoresOf({ ...scores, teacherGap: null }).tasks).not.toContain(ANOMALY_TASKS.teacherGap);
  });

  it('rejects teacher features of the wrong shape or for a model without a distillation head', async () => {
    const wrong = tf.zeros<tf.Rank.R2>([5, 4]);
    await expect(regionScores(model, tubes, { teacherFeatures: wrong })).rejects.toThrow(/teacher features must be \[5, 3\] \(one row per region\), got \[5, 4\]/);
    const plainModel = buildAnomalyModel({ ...spec, teacherDim: 0 }, { seed: 1 });
    await expect(regionScores(plainModel, tubes, { teacherFeatures })).rejects.toThrow(/the model has no distillation head/);
    await expect(regionScores(model, tubes, { batchSize: 0 })).rejects.toThrow(/batch size must be an integer ≥ 1/);
    plainModel.dispose();
    wrong.dispose();
  });
});
