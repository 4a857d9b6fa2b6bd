/**
 * An anomaly run's checkpoint: `runDir/checkpoint/anomaly.bin` in the engine's tensor-checkpoint layout
 * (atomic, like the classifier's), with the model and Adam tensors and the run's state, checked against
 * its schema whenever it is read.
 */
import { z } from 'zod';
import { checkpointFile, type TensorCheckpoint } from '../../../engine/worker/checkpoint/tensor-checkpoint.js';
import type { AnomalyEpochMetrics } from '../../jobs.js';

type AnomalyGroup = 'model' | 'optimizer';

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
}) satisfies z.ZodType<AnomalyEpochMetrics, unknown>;

const stateSchema = z.object({
  runId: z.number(),
  /** Epochs completed; training resumes at epoch + 1. */
  epoch: z.number().int().nonnegative(),
  /** Optimizer steps completed. */
  step: z.number().int().nonnegative(),
  /** The run's random generator after the last completed epoch. */
  rng: z.number(),
  /** What the weights and tubes fit: a resume with other settings is refused. */
  fingerprint: z.string(),
  history: z.array(metricsSchema),
});

export type AnomalyCheckpointState = z.output<typeof stateSchema>;
/** The model's weights, and Adam's state: the iteration count, then the first and the second moment of each trainable weight. */
export type AnomalyCheckpoint = TensorCheckpoint<AnomalyCheckpointState, AnomalyGroup>;

export const anomalyCheckpoint = checkpointFile<AnomalyCheckpointState, AnomalyGroup>(
  { magic: 'VSSLACK1', file: 'anomaly.bin', groups: ['model', 'optimizer'], what: 'anomaly checkpoint' },
  stateSchema,
);
