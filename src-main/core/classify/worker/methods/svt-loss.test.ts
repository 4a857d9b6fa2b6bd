import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { SvtCentre, svtLoss, svtTeacherMomentum, svtTeacherTargets, SVT_TEACHER_MOMENTUM } from './svt-loss.js';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
});

const LN_1_PLUS_E = Math.log(1 + Math.E);

describe('svtLoss', () => {
  it('is the cross-entropy of the teacher target with the student softmax at τs = 0.1, by hand for one pair', () => {
    // s/τs = [1, 0]: log softmax = [1 − ln(1+e), −ln(1+e)]; target [0.25, 0.75].
    const value = tf.tidy(() => svtLoss(tf.tensor2d([[0.25, 0.75]]), tf.tensor2d([[0.1, 0]]), 1).dataSync()[0]);
    expect(value).toBeCloseTo(LN_1_PLUS_E - 0.25, 5);
  });

  it("averages every (teacher view, student view) pair over the clips, reading the student's rows view-major", () => {
    const before = tf.memory().numTensors;
    // Clip 0 targets [1, 0], clip 1 [0, 1]; student rows: view 0 of clips 0, 1, then view 1 of clips 0, 1.
    const targets = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const student = tf.tensor2d([
      [0.1, 0],
      [0, 0],
      [0, 0],
      [0.1, 0],
    ]);
    const loss = svtLoss(targets, student, 1);
    const want = (LN_1_PLUS_E - 1 + Math.LN2 + Math.LN2 + LN_1_PLUS_E) / 4;
    expect(loss.dataSync()[0]).toBeCloseTo(want, 5);
    tf.dispose([targets, student, loss]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('pairs both teacher views with every student view', () => {
    // One clip, teacher views [1, 0] and [0, 1] side by side; one student view [0.1, 0].
    const value = tf.tidy(() => svtLoss(tf.tensor2d([[1, 0, 0, 1]]), tf.tensor2d([[0.1, 0]]), 2).dataSync()[0]);
    expect(value).toBeCloseTo((LN_1_PLUS_E - 1 + LN_1_PLUS_E) / 2, 5);
  });

  it('refuses targets that do not fit the student rows', () => {
    expect(() => tf.tidy(() => svtLoss(tf.tensor2d([[1, 0, 0]]), tf.tensor2d([[0.1, 0]]), 1))).toThrow(/3 columns; 1 views of 2 need 2/);
    expect(() => tf.tidy(() => svtLoss(tf.tensor2d([[1, 0], [0, 1]]), tf.tensor2d([[0.1, 0], [0, 0], [0, 0]]), 1))).toThrow(/3 student rows cannot hold the views of 2 clips/);
  });

  it('gives gradients to the student only', () => {
    const targets = tf.tensor2d([[0.5, 0.5]]);
    const student = tf.variable(tf.tensor2d([[0.2, -0.1]]));
    const { value, grads } = tf.variableGrads(() => svtLoss(targets, student, 1), [student]);
    // d/ds of −Σ q log softmax(s/τ) = (softmax(s/τ) − q)/τ.
    const p0 = 1 / (1 + Math.exp(-3));
    expect(Array.from(grads[student.name]?.dataSync() ?? [])).toEqual([expect.closeTo((p0 - 0.5) / 0.1, 4), expect.closeTo((1 - p0 - 0.5) / 0.1, 4)]);
    tf.dispose([targets, student, value, ...Object.values(grads)]);
  });
});

describe("the teacher's targets", () => {
  it('are the softmax of the centred output at τt = 0.04', () => {
    const rows = tf.tidy(() => Array.from(svtTeacherTargets(tf.tensor2d([[0.04, 0], [0.08, 0]]), tf.tensor1d([0.04, 0])).dataSync()));
    // Row 0 centred is [0, 0]; row 1 centred is [0.04, 0], /0.04 = [1, 0].
    const e = Math.E / (1 + Math.E);
    expect(rows).toEqual([0.5, 0.5, expect.closeTo(e, 5), expect.closeTo(1 - e, 5)]);
  });
});

describe('SvtCentre', () => {
  it('starts at 0 and moves by c ← 0.9c + 0.1·mean', () => {
    const centre = SvtCentre.zeros(2);
    centre.update(Float32Array.of(1, 2));
    expect(Array.from(centre.values)).toEqual([expect.closeTo(0.1, 6), expect.closeTo(0.2, 6)]);
    centre.update(Float32Array.of(1, 2));
    expect(Array.from(centre.values)).toEqual([expect.closeTo(0.19, 6), expect.closeTo(0.38, 6)]);
    expect(SvtCentre.fromJSON(centre.toJSON()).values).toEqual(centre.values);
    expect(() => centre.update(Float32Array.of(1))).toThrow(/centre is 2 wide; the teacher's mean output 1/);
  });
});

describe("the teacher's momentum", () => {
  it('rises from its base to 1 along a cosine', () => {
    expect(svtTeacherMomentum(0, 100)).toBeCloseTo(SVT_TEACHER_MOMENTUM, 10);
    expect(svtTeacherMomentum(50, 100)).toBeCloseTo((1 + SVT_TEACHER_MOMENTUM) / 2, 10);
    expect(svtTeacherMomentum(100, 100)).toBe(1);
    expect(svtTeacherMomentum(25, 100, 0.996)).toBeCloseTo(1 - 0.004 * (Math.cos(Math.PI / 4) + 1) / 2, 10);
  });
});
