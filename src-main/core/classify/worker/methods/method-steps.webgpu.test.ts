/**
 * One step of every method, and of the pretraining stage, on webgpu and on the cpu backend from the same
 * weights (seeded initialisers) and the same clips (plain arrays): gradients and loss values agree to 1e-3,
 * pseudo-label masks and accuracies exactly. Several steps on webgpu leave no tensor and no GPU byte behind.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { gpuMemory, onBothBackends, onWebGpuWithoutLeaks, relativeError } from '../../../../../tests/fixtures/webgpu.js';
import { trainSettingsSchema, type TrainingMethod } from '../../../../shared/training.js';
import { buildModel } from '../models/build-model.js';
import { headsFor, LOGITS_LAYER } from '../models/extra-heads.js';
import { modelSpecFromSettings } from '../models/model-spec.js';
import { MULTI_VIEW_COUNT } from '../train/multi-view.js';
import { doubleSpeed, type TeacherTargets, type TrainingStage, type UnlabelledTargets } from '../train/step-tensors.js';
import { formulaClips } from './formula-clips.fixture.js';
import { computeStepGradients, type GradientInput, type PseudoLabelRule } from './step-gradients.js';

const CLASSES = 3;
const FRAMES = 4;
const SIZE = 16;
const LABELLED = 3;
const UNLABELLED = 4;
const TEACHER_DIM = 5;
/** The logits layer's kernel is scaled by this so the probabilities spread out and masks sit far from τ. */
const LOGIT_SCALE = 3;

const settingsFor = (method: TrainingMethod, extra: Record<string, unknown> = {}) =>
  trainSettingsSchema.parse({ method, frames: FRAMES, size: SIZE, width: 4, depth: 2, dropout: 0, tclWarmup: 0, pretrainEpochs: 0, ...extra });

function clips(n: number, seed: number): tf.Tensor5D {
  return formulaClips(n, seed, FRAMES, SIZE);
}

function teacherRows(n: number, seed: number): Float32Array[] {
  return Array.from({ length: n }, (_, i) => {
    const raw = Array.from({ length: TEACHER_DIM }, (_, k) => Math.exp(Math.sin(seed * 31 + i * 7 + k)));
    const sum = raw.reduce((a, b) => a + b, 0);
    return Float32Array.from(raw.map((v) => v / sum));
  });
}

interface StepCase {
  method: TrainingMethod;
  stage?: TrainingStage;
  settings?: Record<string, unknown>;
  rule?: PseudoLabelRule;
  targets?: UnlabelledTargets;
  teacher?: TeacherTargets;
}

interface StepNumbers {
  grads: number[];
  /** loss, supervised, unsupervised. */
  losses: number[];
  maskRate: number;
  trainAccuracy: number;
  weakProbs: number[];
}

function modelFor(settings: ReturnType<typeof settingsFor>): tf.LayersModel {
  const heads = headsFor(settings, methodTeacherDim(settings.method));
  const model = buildModel(modelSpecFromSettings(settings, CLASSES, heads), { seed: 11 });
  const logits = model.getLayer(LOGITS_LAYER);
  const scaled = tf.tidy(() => logits.getWeights().map((w, i) => (i === 0 ? tf.mul(w, LOGIT_SCALE) : tf.clone(w))));
  logits.setWeights(scaled);
  tf.dispose(scaled);
  return model;
}

function methodTeacherDim(method: TrainingMethod): number {
  return method === 'videossl' ? TEACHER_DIM : 0;
}

/** One step of `c` on the active backend, read back as plain numbers; disposes everything it made. */
async function oneStep(c: StepCase): Promise<StepNumbers> {
  const settings = settingsFor(c.method, c.settings);
  const model = modelFor(settings);
  const views = c.method === 'mvpl' ? MULTI_VIEW_COUNT : 1;
  const pretraining = c.stage === 'pretrain';
  const made: tf.Tensor[] = [];
  const own = <T extends tf.Tensor>(t: T): T => {
    made.push(t);
    return t;
  };
  try {
    const x = own(clips(views * (pretraining ? LABELLED + UNLABELLED : LABELLED), 1));
    const y = own(tf.tensor1d(pretraining ? [] : [0, 2, 1], 'int32'));
    const weak = c.method === 'supervised' || pretraining ? null : own(clips(views * UNLABELLED, 2));
    const declared = settings.method;
    const strong = ['fixmatch', 'flexmatch', 'mvpl'].includes(declared) && !pretraining ? own(clips(views * UNLABELLED, 3)) : null;
    const aux = pretraining ? own(doubleSpeed(x)) : declared === 'tcl' && weak !== null ? own(doubleSpeed(weak)) : null;
    const input: GradientInput = {
      model,
      settings,
      labelled: { x, y },
      unlabelledWeak: weak,
      unlabelledStrong: strong,
      unlabelledAux: aux,
      step: 3,
      totalSteps: 10,
      rule: c.rule ?? null,
      targets: c.targets ?? null,
      teacher: c.teacher ?? null,
      heads: headsFor(settings, methodTeacherDim(c.method)),
      stage: c.stage ?? 'train',
    };
    const step = await computeStepGradients(input);
    try {
      const grads: number[] = [];
      for (const g of step.grads) grads.push(...(await g.data()));
      const v = step.values;
      return {
        grads,
        losses: [v.loss, v.supervisedLoss, v.unsupervisedLoss],
        maskRate: v.maskRate,
        trainAccuracy: v.trainAccuracy,
        weakProbs: Array.from(step.weakProbs ?? []),
      };
    } finally {
      tf.dispose(step.grads);
    }
  } finally {
    tf.dispose(made);
    model.dispose();
  }
}

/** The smallest gap between a row's top probability and the next, or its threshold: how far from a knife edge. */
function smallestMargin(probs: number[], thresholds: readonly number[]): number {
  let margin = Infinity;
  for (let row = 0; row < probs.length / CLASSES; row++) {
    const p = probs.slice(row * CLASSES, (row + 1) * CLASSES).sort((a, b) => b - a);
    const top = p[0] ?? NaN;
    const best = probs.indexOf(top, row * CLASSES) - row * CLASSES;
    margin = Math.min(margin, top - (p[1] ?? NaN), Math.abs(top - (thresholds[best] ?? NaN)));
  }
  return margin;
}

const FIXED: PseudoLabelRule = { kind: 'fixed', threshold: 0.9 };
const PER_CLASS: PseudoLabelRule = { kind: 'per-class', thresholds: [0.5, 0.95, 0.2] };

const cases: [string, StepCase][] = [
  ['supervised', { method: 'supervised' }],
  ['pseudolabel', { method: 'pseudolabel', rule: FIXED, settings: { unsupervisedWarmup: 0 } }],
  ['fixmatch', { method: 'fixmatch', rule: FIXED }],
  ['flexmatch', { method: 'flexmatch', rule: PER_CLASS }],
  ['mvpl', { method: 'mvpl', rule: FIXED }],
  ['ups', { method: 'ups', targets: { labels: [2, -1, 0, -1], negatives: [[], [0, 1], [], [2]] } }],
  ['tcl', { method: 'tcl' }],
  ['tcl fine-tuning on pseudo-labels', { method: 'tcl', rule: FIXED, settings: { tclFinetune: 0.9 } }],
  ['videossl', { method: 'videossl', rule: FIXED, teacher: { labelled: teacherRows(LABELLED, 1), unlabelled: teacherRows(UNLABELLED, 2) } }],
  ['pretraining (contrast)', { method: 'fixmatch', stage: 'pretrain', settings: { pretrainEpochs: 1, pretrainObjective: 'contrast' } }],
];

describe('a training step on webgpu', () => {
  onWebGpuWithoutLeaks();

  it.each(cases)('%s: gradients and losses match the cpu backend', async (_name, c) => {
    const { webgpu, cpu } = await onBothBackends(() => oneStep(c));
    expect(cpu.grads.some((g) => g !== 0)).toBe(true);
    expect(relativeError(webgpu.grads, cpu.grads)).toBeLessThan(1e-3);
    expect(relativeError(webgpu.losses, cpu.losses)).toBeLessThan(1e-3);
    expect(webgpu.maskRate).toBe(cpu.maskRate);
    expect(webgpu.trainAccuracy).toBe(cpu.trainAccuracy);
    expect(webgpu.weakProbs).toHaveLength(cpu.weakProbs.length);
    if (cpu.weakProbs.length > 0) {
      expect(relativeError(webgpu.weakProbs, cpu.weakProbs)).toBeLessThan(1e-3);
      const rule = c.rule ?? FIXED;
      const thresholds = rule.kind === 'fixed' ? new Array<number>(CLASSES).fill(rule.threshold) : rule.thresholds;
      // Not on a knife edge: a rounding difference cannot flip a label or a mask.
      expect(smallestMargin(cpu.weakProbs, thresholds)).toBeGreaterThan(1e-3);
    }
  });

  it('repeated steps keep the tensor count and the GPU bytes where they were', async () => {
    const c = cases.find(([name]) => name === 'flexmatch')?.[1] as StepCase;
    await oneStep(c);
    const settled = gpuMemory();
    for (let i = 0; i < 3; i++) {
      await oneStep(c);
      expect(gpuMemory()).toEqual(settled);
    }
  });
});
