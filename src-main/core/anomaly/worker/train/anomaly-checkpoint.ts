/**
 * An anomaly run's checkpoint: `runDir/checkpoint/anomaly.bin` in the tensor-checkpoint layout (atomic,
 * like the classifier's), with the model and Adam tensors and the run's state, checked when read.
 */
import { z } from 'zod';
import {
  damagedCheckpoint,
  readTensorCheckpoint,
  tensorCheckpointPath,
  writeTensorCheckpoint,
  type CheckpointFormat,
  type CheckpointTensor,
} from '../../../engine/worker/checkpoint/tensor-checkpoint.js';
import type { AnomalyEpochMetrics } from '../../anomaly-train-job.js';

type AnomalyGroup = 'model' | 'optimizer';

const FORMAT: CheckpointFormat<AnomalyGroup> = {
  magic: 'VSSLACK1',
  file: 'anomaly.bin',
  groups: ['model', 'optimizer'],
  what: 'anomaly checkpoint',
};

export interface AnomalyCheckpointState {
  runId: number;
  /** Epochs completed; training resumes at epoch + 1. */
  epoch: number;
  /** Optimizer steps completed. */
  step: number;
  /** The run's random generator after the last completed epoch. */
  rng: number;
  /** What the weights and tubes fit: a resume with other settings is refused. */
  fingerprint: string;
  history: AnomalyEpochMetrics[];
}

export interface AnomalyCheckpoint {
  state: AnomalyCheckpointState;
  model: CheckpointTensor[];
  /** Adam: the iteration count, then the first and the second moment of each trainable weight. */
  optimizer: CheckpointTensor[];
}

const metricsSchema = z.object({
  epoch: z.number(),
  step: z.number(),
  loss: z.number(),
  middleFrameLoss: z.number(),
  arrowLoss: z.number(),
  irregularLoss: z.number(),
  arrowAccuracy: z.number(),
  irregularAccuracy: z.number(),
  teacherLoss: z.number().nullable().default(null),
  learningRate: z.number(),
  tubes: z.number(),
  tubesPerSecond: z.number(),
  seconds: z.number(),
});

const stateSchema = z.object({
  runId: z.number(),
  epoch: z.number().int().nonnegative(),
  step: z.number().int().nonnegative(),
  rng: z.number(),
  fingerprint: z.string(),
  history: z.array(metricsSchema),
});

function parseState(state: unknown, file: string): AnomalyCheckpointState {
  const parsed = stateSchema.safeParse(state);
  if (!parsed.success) throw damagedCheckpoint(file, `unexpected header: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

export function anomalyCheckpointPath(runDir: string): string {
  return tensorCheckpointPath(runDir, FORMAT);
}

export function writeAnomalyCheckpoint(runDir: string, checkpoint: AnomalyCheckpoint): Promise<void> {
  return writeTensorCheckpoint(runDir, FORMAT, {
    state: checkpoint.state,
    tensors: { model: checkpoint.model, optimizer: checkpoint.optimizer },
  });
}

/** The whole checkpoint, or null when the run has none. */
export async function readAnomalyCheckpoint(runDir: string): Promise<AnomalyCheckpoint | null> {
  const read = await readTensorCheckpoint(runDir, FORMAT, parseState);
  return read && { state: read.state, model: read.tensors.model, optimizer: read.tensors.optimizer };
}
