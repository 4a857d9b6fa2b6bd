import * as tf from '@tensorflow/tfjs';
import { checkCheckpointShapes, fromCheckpointTensor, toCheckpointTensor } from '../../../engine/worker/checkpoint/checkpoint-tensors.js';
import { Rng } from '../../../engine/random.js';
import { buildAnomalyModel } from '../model/anomaly-model.js';
import type { AnomalyModelSpec } from '../model/anomaly-model-spec.js';
import { createAnomalyOptimizer } from '../model/anomaly-train-step.js';
import { TASK_SAMPLE_DEFAULTS } from '../tasks/task-samples.js';
import type { AnomalyCheckpoint, AnomalyCheckpointState } from './anomaly-checkpoint.js';
import type { AnomalyRunConfig, AnomalyTrainSettings } from '../../anomaly-train-job.js';

/** What an anomaly run trains and carries from step to step. */
export interface AnomalyTrainingParts {
  model: tf.LayersModel;
  optimizer: tf.AdamOptimizer;
  rng: Rng;
}

/** `teacherDim`: the teacher's output length (0 = no teacher, no distillation head). */
export function anomalySpecFromSettings(s: AnomalyTrainSettings, teacherDim = 0): AnomalyModelSpec {
  return { size: s.size, channels: s.channels, width: s.width, depth: s.depth, teacherDim };
}

/** What the weights and the training tubes fit: a checkpoint made for other settings cannot be resumed. */
export function anomalyRunFingerprint(config: AnomalyRunConfig, teacherDim = 0): string {
  const s = config.settings;
  return JSON.stringify({
    spec: anomalySpecFromSettings(s, teacherDim),
    teacher: s.teacherDir ?? null,
    seed: s.seed,
    batchSize: s.batchSize,
    maxTubes: s.maxTubes,
    windowStride: s.windowStride,
    longSide: s.longSide,
    tasks: s.tasks ?? TASK_SAMPLE_DEFAULTS,
    normal: config.normal.map((n) => [n.file, n.startFrame ?? 0, n.endFrame ?? null]),
  });
}

export function createAnomalyTrainingParts(settings: AnomalyTrainSettings, teacherDim = 0): AnomalyTrainingParts {
  const rng = new Rng(settings.seed);
  const model = buildAnomalyModel(anomalySpecFromSettings(settings, teacherDim), { seed: rng.seed() });
  return { model, optimizer: createAnomalyOptimizer(settings.learningRate), rng };
}

export function disposeAnomalyTrainingParts(parts: AnomalyTrainingParts): void {
  parts.optimizer.dispose();
  parts.model.dispose();
}

/** The parts' state as a checkpoint (copies: the parts go on training). */
export async function anomalyCheckpointOf(parts: AnomalyTrainingParts, state: Omit<AnomalyCheckpointState, 'rng'>): Promise<AnomalyCheckpoint> {
  const model = await Promise.all(parts.model.weights.map((w) => toCheckpointTensor(w.originalName, w.read())));
  const named = await parts.optimizer.getWeights();
  try {
    const optimizer = await Promise.all(named.map((w) => toCheckpointTensor(w.name, w.tensor)));
    return { state: { ...state, rng: parts.rng.snapshot }, model, optimizer };
  } finally {
    // getWeights makes a fresh scalar for the iteration count; the rest are the optimizer's own variables.
    named[0]?.tensor.dispose();
  }
}

/** Puts a checkpoint's weights, Adam state and random generator into freshly created parts. */
export async function restoreAnomalyTrainingParts(parts: AnomalyTrainingParts, checkpoint: AnomalyCheckpoint): Promise<void> {
  checkCheckpointShapes('model', checkpoint.model, parts.model.weights.map((w) => w.shape.map((d) => d ?? -1)));
  const trainable = parts.model.trainableWeights.map((w) => w.shape.map((d) => d ?? -1));
  // Adam's first moments, then its second moments, one per trainable weight in the model's order.
  if (checkpoint.optimizer.length > 0) checkCheckpointShapes('optimizer', checkpoint.optimizer.slice(1), [...trainable, ...trainable]);

  const weights = checkpoint.model.map(fromCheckpointTensor);
  parts.model.setWeights(weights);
  tf.dispose(weights);
  if (checkpoint.optimizer.length > 0) {
    const named = checkpoint.optimizer.map((t) => ({ name: t.name, tensor: fromCheckpointTensor(t) }));
    await parts.optimizer.setWeights(named);
    tf.dispose(named.map((n) => n.tensor));
  }
  parts.rng = Rng.restore(checkpoint.state.rng);
}
