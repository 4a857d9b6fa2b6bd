import type * as tf from '@tensorflow/tfjs';
import { modelTensors, optimizerTensors, restoreModelTensors, restoreOptimizerTensors } from '../../../engine/worker/checkpoint/checkpoint-tensors.js';
import { Rng } from '../../../engine/random.js';
import { buildAnomalyModel } from '../model/anomaly-model.js';
import type { AnomalyModelSpec } from '../model/anomaly-model-spec.js';
import { createAnomalyOptimizer } from '../model/anomaly-train-step.js';
import { TASK_SAMPLE_DEFAULTS } from '../tasks/task-samples.js';
import type { AnomalyCheckpoint, AnomalyCheckpointState } from './anomaly-checkpoint.js';
import type { AnomalyRunConfig, AnomalyTrainSettings } from '../../jobs.js';

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
    tasks: TASK_SAMPLE_DEFAULTS,
    normal: config.normal.map((n) => [n.file, n.startFrame ?? 0, n.endFrame ?? null]),
    // Runs made before sampling (every frame, a frame stride) keep the fingerprint their checkpoints have.
    ...(s.sampleFps === 0 && s.windowStride !== null ? {} : { sampleFps: s.sampleFps, windowStrideSeconds: s.windowStrideSeconds }),
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
  return {
    state: { ...state, rng: parts.rng.snapshot },
    tensors: { model: await modelTensors(parts.model), optimizer: await optimizerTensors(parts.optimizer) },
  };
}

/** Puts a checkpoint's weights, Adam state (two moments per weight) and random generator into freshly created parts. */
export async function restoreAnomalyTrainingParts(parts: AnomalyTrainingParts, checkpoint: AnomalyCheckpoint): Promise<void> {
  restoreModelTensors(parts.model, checkpoint.tensors.model);
  await restoreOptimizerTensors(parts.optimizer, checkpoint.tensors.optimizer, parts.model, 2);
  parts.rng = Rng.restore(checkpoint.state.rng);
}
