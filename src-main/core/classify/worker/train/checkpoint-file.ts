/**
 * A classification run's checkpoint: `runDir/checkpoint/checkpoint.bin` in the tensor-checkpoint
 * layout, with the model, EMA and optimizer tensors and the run's state.
 */
import type { EpochMetrics } from '../../../engine/job-messages.js';
import {
  readTensorCheckpoint,
  readTensorCheckpointState,
  tensorCheckpointPath,
  writeTensorCheckpoint,
  type CheckpointFormat,
  type CheckpointTensor,
} from '../../../engine/worker/checkpoint/tensor-checkpoint.js';

export { CHECKPOINT_DIR, type CheckpointTensor } from '../../../engine/worker/checkpoint/tensor-checkpoint.js';

export type CheckpointGroup = 'model' | 'ema' | 'optimizer';
export const CHECKPOINT_GROUPS: readonly CheckpointGroup[] = ['model', 'ema', 'optimizer'];

const FORMAT: CheckpointFormat<CheckpointGroup> = {
  magic: 'VSSLCKP1',
  file: 'checkpoint.bin',
  groups: CHECKPOINT_GROUPS,
  what: 'checkpoint',
};

/** Everything of a run that is not a tensor. */
export interface CheckpointState {
  runId: number;
  /** Epochs completed; training resumes at epoch + 1. */
  epoch: number;
  /** Optimizer steps completed. */
  step: number;
  /** The run's random generator after the last completed epoch. */
  rng: number;
  /** EMA updates so far (its decay warms up with them). */
  emaUpdates: number;
  /** What the weights fit (architecture, input spec, classes): a resume with other settings is refused. */
  fingerprint: string;
  /** FlexMatch's per-clip pseudo-label state (JSON), null for other methods. */
  flex: unknown;
  /** UPS's current round and selection (JSON), null for other methods; absent in checkpoints before UPS. */
  ups?: unknown;
  /** The metrics of every completed epoch, so a resumed run can report its history and final result. */
  history: EpochMetrics[];
}

export interface Checkpoint {
  state: CheckpointState;
  tensors: Record<CheckpointGroup, CheckpointTensor[]>;
}

// Written by this app only; the fingerprint check on resume catches a checkpoint of other settings.
const asState = (state: unknown): CheckpointState => state as CheckpointState;

export function checkpointPath(runDir: string): string {
  return tensorCheckpointPath(runDir, FORMAT);
}

export function writeCheckpoint(runDir: string, checkpoint: Checkpoint): Promise<void> {
  return writeTensorCheckpoint(runDir, FORMAT, checkpoint);
}

/** The run state in the checkpoint (without the weights), or null when the run has none. */
export function readCheckpointState(runDir: string): Promise<CheckpointState | null> {
  return readTensorCheckpointState(runDir, FORMAT, asState);
}

/** The whole checkpoint, or null when the run has none. */
export function readCheckpoint(runDir: string): Promise<Checkpoint | null> {
  return readTensorCheckpoint(runDir, FORMAT, asState);
}
