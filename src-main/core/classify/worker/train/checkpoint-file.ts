/**
 * A classification run's checkpoint: `runDir/checkpoint/checkpoint.bin` in the engine's tensor-checkpoint
 * layout, with the model, EMA and optimizer tensors and the run's state, checked against its schema
 * whenever it is read.
 */
import { z } from 'zod';
import { checkpointFile, type CheckpointTensor, type TensorCheckpoint } from '../../../engine/worker/checkpoint/tensor-checkpoint.js';
import type { EpochMetrics } from '../../jobs.js';

export type CheckpointGroup = 'model' | 'ema' | 'optimizer';
export type { CheckpointTensor };

const epochMetricsSchema = z.object({
  epoch: z.number(),
  step: z.number(),
  lr: z.number(),
  loss: z.number(),
  supervisedLoss: z.number(),
  unsupervisedLoss: z.number(),
  maskRate: z.number(),
  trainAccuracy: z.number(),
  validationAccuracy: z.number().nullable(),
  validationLoss: z.number().nullable(),
  classThresholds: z.array(z.number()).nullable(),
  clipsPerSecond: z.number(),
  seconds: z.number(),
  stage: z.literal('pretrain').optional(),
}) satisfies z.ZodType<EpochMetrics>;

const flexStateSchema = z.object({ tau: z.number(), warmup: z.boolean(), classes: z.number().int().positive(), predicted: z.array(z.number().int()) });
const freeMatchStateSchema = z.object({
  kind: z.literal('freematch'),
  momentum: z.number(),
  confidence: z.number(),
  classMean: z.array(z.number()),
  labelHistogram: z.array(z.number()),
});
const alignmentStateSchema = z.object({ prior: z.array(z.number()), runningMean: z.array(z.number()).nullable() });
const upsStateSchema = z.object({ round: z.number().int().nonnegative(), labels: z.array(z.number().int()), negatives: z.array(z.array(z.number().int())) });

const stateSchema = z.object({
  runId: z.number(),
  /** Epochs completed; training resumes at epoch + 1. */
  epoch: z.number().int().nonnegative(),
  /** Optimizer steps completed. */
  step: z.number().int().nonnegative(),
  /** The run's random generator after the last completed epoch. */
  rng: z.number(),
  /** EMA updates so far (its decay warms up with them). */
  emaUpdates: z.number().int().nonnegative(),
  /** What the weights fit (architecture, input spec, classes): a resume with other settings is refused. */
  fingerprint: z.string(),
  /** FlexMatch's per-clip pseudo-label state, null for other methods. */
  flex: flexStateSchema.nullable(),
  /** FreeMatch's running confidence and class means, null for other methods; absent in checkpoints before FreeMatch. */
  freematch: freeMatchStateSchema.nullable().optional(),
  /** Distribution alignment's running mean, null when off; absent in checkpoints before it. */
  alignment: alignmentStateSchema.nullable().optional(),
  /** UPS's current round and selection, null for other methods; absent in checkpoints before UPS. */
  ups: upsStateSchema.nullable().optional(),
  /** SVT pretraining's running centre of its teacher's outputs, null otherwise; absent in checkpoints before SVT. */
  svtCentre: z.array(z.number()).nullable().optional(),
  /** The metrics of every completed epoch, so a resumed run can report its history and final result. */
  history: z.array(epochMetricsSchema),
});

/** Everything of a run that is not a tensor. */
export type CheckpointState = z.output<typeof stateSchema>;
export type Checkpoint = TensorCheckpoint<CheckpointState, CheckpointGroup>;

export const classifierCheckpoint = checkpointFile<CheckpointState, CheckpointGroup>(
  { magic: 'VSSLCKP1', file: 'checkpoint.bin', groups: ['model', 'ema', 'optimizer'], what: 'checkpoint' },
  stateSchema,
);
