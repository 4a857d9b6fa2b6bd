import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainSettingsSchema, type TrainingMethod } from '../../../../shared/training.js';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { buildModel } from '../models/build-model.js';
import { modelSpecFromSettings } from '../models/model-spec.js';
import { crossEntropyPerRow } from '../../../engine/worker/losses.js';
import { negativeLearningLossPerRow } from './negative-learning.js';
import { doubleSpeed } from '../train/step-tensors.js';
import { ntXentLoss } from './nt-xent.js';
import { computeStepGradients, type StepGradients } from './step-gradients.js';
import { TCL_GAMMA, tclGroupLoss } from './tcl-group-loss.js';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
});

// No dropout, so two forwards of the same rows give the same logits.
const settingsFor = (method: TrainingMethod) =>
  trainSettingsSchema.parse({ method, frames: 4, size: 16, width: 4, depth: 2, dropout: 0, threshold: 0.3 });

describe('MvPL step gradients', () => {
  it('with three identical views, are FixMatch’s losses counted once per view, with the same pseudo-label mask', async () => {
    const classes = 3;
    const fixmatch = settingsFor('fixmatch');
    const model = buildModel(modelSpecFromSettings(fixmatch, classes), { seed: 4 });
    const before = tf.memory().numTensors;
    const x = tf.randomUniform<tf.Rank.R5>([4, 4, 16, 16, 3], 0, 1, 'float32', 1);
    const y = tf.tensor1d([0, 1, 2, 0], 'int32');
    const weak = tf.randomUniform<tf.Rank.R5>([6, 4, 16, 16, 3], 0, 1, 'float32', 2);
    const strong = tf.randomUniform<tf.Rank.R5>([6, 4, 16, 16, 3], 0, 1, 'float32', 3);
    const thrice = (t: tf.Tensor5D) => tf.concat([t, t, t], 0);
    const [x3, weak3, strong3] = [thrice(x), thrice(weak), thrice(strong)];
    const common = { model, step: 0, totalSteps: 10, rule: { kind: 'fixed', threshold: 0.3 } as const };
    let single: StepGradients | null = null;
    let multi: StepGradients | null = null;
    try {
      single = await computeStepGradients({ ...common, settings: fixmatch, labelled: { x, y }, unlabelledWeak: weak, unlabelledStrong: strong });
      multi = await computeStepGradients({ ...common, settings: settingsFor('mvpl'), labelled: { x: x3, y }, unlabelledWeak: weak3, unlabelledStrong: strong3 });
      expect(multi.values.supervisedLoss).toBeCloseTo(3 * single.values.supervisedLoss, 4);
      expect(multi.values.unsupervisedLoss).toBeCloseTo(3 * single.values.unsupervisedLoss, 4);
      expect(multi.values.maskRate).toBeCloseTo(single.values.maskRate, 6);
      expect(multi.values.trainAccuracy).toBeCloseTo(single.values.trainAccuracy, 6);
      // The averaged weak probabilities of identical views are each view's own.
      const singleProbs = Array.from(single.weakProbs ?? []);
      Array.from(multi.weakProbs ?? []).forEach((p, i) => expect(p).toBeCloseTo(singleProbs[i] ?? NaN, 5));
      expect(multi.grads).toHaveLength(model.trainableWeights.length);
    } finally {
      tf.dispose([...(single?.grads ?? []), ...(multi?.grads ?? [])]);
      tf.dispose([x, y, weak, strong, x3, weak3, strong3]);
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('says when the rows do not hold every view', async () => {
    const settings = settingsFor('mvpl');
    const model = buildModel(modelSpecFromSettings(settings, 2), { seed: 1 });
    const x = tf.zeros<tf.Rank.R5>([4, 4, 16, 16, 3]);
    const y = tf.tensor1d([0, 1], 'int32');
    await expect(computeStepGradients({ model, settings, labelled: { x, y }, unlabelledWeak: x, unlabelledStrong: x, step: 0, totalSteps: 1, rule: { kind: 'fixed', threshold: 0.9 } })).rejects.toThrow(
      'labelled batch has 4 rows but 2 labels (3 views each)',
    );
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('UPS step gradients', () => {
  it('add the positives’ cross-entropy and the negatives’ negative-learning loss over all selected rows', async () => {
    const settings = settingsFor('ups');
    const model = buildModel(modelSpecFromSettings(settings, 3), { seed: 5 });
    const x = tf.randomUniform<tf.Rank.R5>([2, 4, 16, 16, 3], 0, 1, 'float32', 1);
    const y = tf.tensor1d([0, 2], 'int32');
    const u = tf.randomUniform<tf.Rank.R5>([3, 4, 16, 16, 3], 0, 1, 'float32', 2);
    // Row 0: pseudo-label 2; row 1: surely not 0 or 1; row 2: a positive whose listed negatives are ignored.
    const targets = { labels: [2, -1, 1], negatives: [[], [0, 1], [0]] };
    const result = await computeStepGradients({ model, settings, labelled: { x, y }, unlabelledWeak: u, step: 0, totalSteps: 1, targets });
    const expected = tf.tidy(() => {
      const logits = model.apply(tf.concat([x, u], 0), { training: true }) as tf.Tensor2D;
      const unlabelled = tf.slice(logits, [2, 0], [-1, -1]);
      const ce = crossEntropyPerRow(unlabelled, tf.tensor1d([2, 0, 1], 'int32')).arraySync();
      const nl = negativeLearningLossPerRow(unlabelled, tf.tensor2d([[0, 0, 0], [1, 1, 0], [0, 0, 0]])).arraySync();
      return ((ce[0] ?? NaN) + (nl[1] ?? NaN) + (ce[2] ?? NaN)) / 3;
    });
    expect(result.values.unsupervisedLoss).toBeCloseTo(expected, 5);
    expect(result.values.maskRate).toBeCloseTo(2 / 3, 6);
    // Round 0 before any selection: the labelled clips alone, as supervised training.
    const alone = await computeStepGradients({ model, settings, labelled: { x, y }, step: 0, totalSteps: 1 });
    const supervised = await computeStepGradients({ model, settings: settingsFor('supervised'), labelled: { x, y }, step: 0, totalSteps: 1 });
    expect(alone.values.loss).toBeCloseTo(supervised.values.loss, 6);
    expect(alone.values.unsupervisedLoss).toBe(0);
    tf.dispose([...result.grads, ...alone.grads, ...supervised.grads, x, y, u]);
    await expect(computeStepGradients({ model, settings, labelled: { x, y }, unlabelledWeak: u, step: 0, totalSteps: 1, targets: { labels: [1], negatives: [[]] } })).rejects.toThrow(
      'ups needs a target per unlabelled row (3 rows, 1 targets)',
    );
    model.dispose();
  });
});

describe('TCL step gradients', () => {
  it('add γ·NT-Xent and the group contrast between the clips at their pace and at double speed, after the warm-up only', async () => {
    const settings = { ...settingsFor('tcl'), tclWarmup: 0.5 };
    const model = buildModel(modelSpecFromSettings(settings, 3), { seed: 6 });
    const x = tf.randomUniform<tf.Rank.R5>([2, 4, 16, 16, 3], 0, 1, 'float32', 1);
    const y = tf.tensor1d([0, 2], 'int32');
    const base = tf.randomUniform<tf.Rank.R5>([4, 4, 16, 16, 3], 0, 1, 'float32', 2);
    const fast = tf.randomUniform<tf.Rank.R5>([4, 4, 16, 16, 3], 0, 1, 'float32', 3);
    const before = tf.memory().numTensors;
    const input = { model, settings, labelled: { x, y }, unlabelledWeak: base, unlabelledAux: fast, totalSteps: 10 };
    const warm = await computeStepGradients({ ...input, step: 4 });
    const after = await computeStepGradients({ ...input, step: 5 });
    const expected = tf.tidy(() => {
      const logits = model.apply(tf.concat([x, base, fast], 0), { training: true }) as tf.Tensor2D;
      const b = tf.slice(logits, [2, 0], [4, -1]);
      const f = tf.slice(logits, [6, 0], [4, -1]);
      return tf.add(tf.mul(ntXentLoss(tf.softmax(b), tf.softmax(f), { detach: 'a' }), TCL_GAMMA), tclGroupLoss(b, f)).arraySync() as number;
    });
    expect(warm.values.unsupervisedLoss).toBe(0);
    expect(warm.lambdaU).toBe(0);
    expect(after.values.unsupervisedLoss).toBeCloseTo(expected, 5);
    expect(after.values.loss).toBeCloseTo(after.values.supervisedLoss + after.values.unsupervisedLoss, 5);
    tf.dispose([...warm.grads, ...after.grads]);
    expect(tf.memory().numTensors).toBe(before);
    await expect(computeStepGradients({ ...input, unlabelledAux: null, step: 5 })).rejects.toThrow('tcl needs a double-speed clip per unlabelled row (4 rows, 0 double-speed clips)');
    tf.dispose([x, y, base, fast]);
    model.dispose();
  });

  it('fine-tunes on pseudo-labels at τ for the last tclFinetune share of training, as Pseudo-label does', async () => {
    const settings = { ...settingsFor('tcl'), tclWarmup: 0.1, tclFinetune: 0.3 };
    const model = buildModel(modelSpecFromSettings(settings, 3), { seed: 8 });
    const x = tf.randomUniform<tf.Rank.R5>([2, 4, 16, 16, 3], 0, 1, 'float32', 4);
    const y = tf.tensor1d([1, 2], 'int32');
    const base = tf.randomUniform<tf.Rank.R5>([4, 4, 16, 16, 3], 0, 1, 'float32', 5);
    const fast = tf.randomUniform<tf.Rank.R5>([4, 4, 16, 16, 3], 0, 1, 'float32', 6);
    const rule = { kind: 'fixed', threshold: 0.3 } as const;
    const input = { model, labelled: { x, y }, unlabelledWeak: base, unlabelledAux: fast, totalSteps: 10, rule };
    const contrasting = await computeStepGradients({ ...input, settings, step: 6 });
    const finetuning = await computeStepGradients({ ...input, settings, step: 7 });
    // Pseudo-label at the end of its ramp sees the same rows and gives the same terms.
    const pseudo = await computeStepGradients({ ...input, settings: { ...settingsFor('pseudolabel'), unsupervisedWarmup: 0 }, step: 7 });
    try {
      expect(contrasting.values.maskRate).toBe(0);
      expect(finetuning.values.unsupervisedLoss).toBeCloseTo(pseudo.values.unsupervisedLoss, 5);
      expect(finetuning.values.maskRate).toBeCloseTo(pseudo.values.maskRate, 6);
      expect(finetuning.values.loss).toBeCloseTo(pseudo.values.loss, 5);
    } finally {
      tf.dispose([...contrasting.grads, ...finetuning.grads, ...pseudo.grads, x, y, base, fast]);
      model.dispose();
    }
  });

  it('double speed covers the same span with every other frame', () => {
    const clip = tf.tensor5d(Array.from({ length: 8 }, (_, t) => t), [1, 8, 1, 1, 1]);
    const fast = doubleSpeed(clip);
    expect(Array.from(fast.dataSync())).toEqual([0, 0, 2, 2, 4, 4, 6, 6]);
    tf.dispose([clip, fast]);
  });
});

describe('a micro-batch of unlabelled clips only', () => {
  it('has no supervised term, its unlabelled term, and finite gradients, whatever the method', async () => {
    const noLabels = { x: tf.zeros<tf.Rank.R5>([0, 4, 16, 16, 3]), y: tf.tensor1d([], 'int32') };
    const u = tf.randomUniform<tf.Rank.R5>([3, 4, 16, 16, 3], 0, 1, 'float32', 7);
    const rule = { kind: 'fixed', threshold: 0 } as const;
    const share = { labelled: 0, unlabelled: 0.5, clips: 0.25 };
    for (const method of ['pseudolabel', 'fixmatch', 'flexmatch', 'tcl', 'ups'] as const) {
      const settings = { ...settingsFor(method), unsupervisedWarmup: 0, tclWarmup: 0 };
      const model = buildModel(modelSpecFromSettings(settings, 3), { seed: 8 });
      const before = tf.memory().numTensors;
      const result = await computeStepGradients({
        model,
        settings,
        labelled: noLabels,
        unlabelledWeak: u,
        unlabelledStrong: u,
        unlabelledAux: u,
        targets: { labels: [0, -1, 2], negatives: [[], [1], []] },
        step: 5,
        totalSteps: 10,
        rule,
        share,
      });
      expect([method, result.values.supervisedLoss, result.values.trainAccuracy]).toEqual([method, 0, 0]);
      expect(result.values.unsupervisedLoss, method).toBeGreaterThan(0);
      expect(result.values.loss, method).toBeCloseTo(result.lambdaU * result.values.unsupervisedLoss, 5);
      const sums = result.grads.map((g) => tf.tidy(() => tf.sum(tf.abs(g))));
      const norms = await Promise.all(sums.map((t) => t.data()));
      tf.dispose(sums);
      expect(norms.every((n) => Number.isFinite(n[0])), method).toBe(true);
      expect(norms.some((n) => (n[0] ?? 0) > 0), method).toBe(true);
      tf.dispose(result.grads);
      expect(tf.memory().numTensors, method).toBe(before);
      model.dispose();
    }
    tf.dispose([noLabels.x, noLabels.y, u]);
    // Nothing at all is still an error.
    const model = buildModel(modelSpecFromSettings(settingsFor('fixmatch'), 3), { seed: 8 });
    await expect(computeStepGradients({ model, settings: settingsFor('supervised'), labelled: { x: tf.zeros([0, 4, 16, 16, 3]), y: tf.tensor1d([], 'int32') }, step: 0, totalSteps: 1 })).rejects.toThrow('labelled batch is empty');
    model.dispose();
  });
});
