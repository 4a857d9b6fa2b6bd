/**
 * Measures what a row of a step costs on the running backend: one small synthetic micro-batch (one
 * labelled and one unlabelled clip) through forward and backward under tf.profile, whose peak counts every
 * tensor the tape and the backward pass hold. Weights are read, never changed.
 */
import * as tf from '@tensorflow/tfjs';
import { SVT_TEACHER_VIEWS } from '../methods/svt-loss.js';
import { methodInfo, type TrainSettings } from '../../../../shared/training.js';
import { freshPseudoLabelState, pseudoLabelRule } from '../methods/train-step.js';
import { buildModel } from '../models/build-model.js';
import type { ExtraHeads } from '../models/extra-heads.js';
import { modelSpecFromSettings } from '../models/model-spec.js';
import type { TrainingStage } from '../train/step-tensors.js';
import { shardGradients } from './shard-gradients.js';
import { rowsPerStep } from './shard-plan.js';
import type { RowCost } from './step-memory.js';

const PROBE_SEED = 1;
const PROBE_STEPS = 1000;

interface KernelTimer {
  timerAvailable(): boolean;
  time(f: () => void): Promise<{ kernelMs: number }>;
}

/**
 * tf.profile times every kernel through the backend's timer, and where a backend has none it reads every
 * output back synchronously: webgpu then either serialises each kernel behind a timestamp query or, without
 * that feature, cannot read at all in Node. The probe wants bytes, not times: the engine's profiler gets a
 * timer that only runs the kernel while `measure` runs.
 */
async function withoutKernelTimes<T>(measure: () => Promise<T>): Promise<T> {
  const profiler = (tf.engine() as unknown as { profiler?: { backendTimer?: KernelTimer } }).profiler;
  const timer = profiler?.backendTimer;
  if (profiler === undefined || timer === undefined) return measure();
  profiler.backendTimer = {
    timerAvailable: () => true,
    time: (f) => {
      f();
      return Promise.resolve({ kernelMs: 0 });
    },
  };
  try {
    return await measure();
  } finally {
    profiler.backendTimer = timer;
  }
}

function bytesOf(shape: readonly number[]): number {
  return 4 * shape.reduce((n, d) => n * d, 1);
}

/** VideoSSL's teacher rows, or SVT pretraining's targets (its teacher's global views side by side). */
function teacherRows(settings: TrainSettings, heads: ExtraHeads, stage: TrainingStage, unlabelled: number, uniform: (n: number) => Float32Array) {
  const width = stage === 'pretrain' ? (settings.pretrainObjective === 'svt' ? SVT_TEACHER_VIEWS * heads.projection : 0) : heads.teacher;
  return width > 0 ? { labelled: [uniform(width)], unlabelled: Array.from({ length: unlabelled }, () => uniform(width)) } : null;
}

/** The probe's clips: mid-grey bytes (the content does not change any tensor's size). */
function probeShard(settings: TrainSettings, classes: number, heads: ExtraHeads, stage: TrainingStage) {
  const info = methodInfo[settings.method];
  const clip = (): Uint8Array => new Uint8Array(info.clipViews * settings.frames * settings.size * settings.size * 3).fill(128);
  const unlabelled = info.usesUnlabelled || stage === 'pretrain' ? [clip()] : [];
  const uniform = (n: number): Float32Array => new Float32Array(n).fill(1 / n);
  return {
    labelled: [clip()],
    labels: [0],
    unlabelled,
    unlabelledTargets: settings.method === 'ups' ? { labels: unlabelled.map(() => -1), negatives: unlabelled.map(() => []) } : null,
    teacher: teacherRows(settings, heads, stage, unlabelled.length, uniform),
    share: { labelled: 1, unlabelled: unlabelled.length > 0 ? 1 : 0, clips: 1 },
    rule: stage === 'pretrain' ? null : pseudoLabelRule(settings, freshPseudoLabelState(settings, classes, 1)),
    // A step where every method runs all its rows: past TCL's labelled-only warm-up (its contrast adds the
    // double-speed rows), before its fine-tuning share.
    step: Math.ceil(settings.tclWarmup * PROBE_STEPS),
    totalSteps: PROBE_STEPS,
    seed: PROBE_SEED,
    stage,
  };
}

/** What one row of a `stage` step costs with this model on the current backend. */
export async function measureRowCost(model: tf.LayersModel, settings: TrainSettings, classes: number, heads: ExtraHeads, stage: TrainingStage): Promise<RowCost> {
  const shard = probeShard(settings, classes, heads, stage);
  const rows = rowsPerStep({ ...settings, batchSize: 1, mu: shard.unlabelled.length }, stage);
  const before = tf.memory().numBytes;
  let largest = 0;
  const profile = await withoutKernelTimes(() =>
    tf.profile(async () => {
      const result = await shardGradients(model, settings, shard, heads);
      tf.dispose(result.grads);
      return [];
    }),
  );
  for (const kernel of profile.kernels) for (const shape of kernel.outputShapes) largest = Math.max(largest, bytesOf(shape));
  return { bytes: Math.max(0, profile.peakBytes - before) / rows, largestTensor: largest / rows };
}

/** The row cost of a `stage` step of the run's model, measured on a throwaway copy of it. */
export async function measureRunRowCost(settings: TrainSettings, classes: number, heads: ExtraHeads, stage: TrainingStage): Promise<RowCost> {
  const model = buildModel(modelSpecFromSettings(settings, classes, heads), { seed: PROBE_SEED });
  try {
    return await measureRowCost(model, settings, classes, heads, stage);
  } finally {
    model.dispose();
  }
}
