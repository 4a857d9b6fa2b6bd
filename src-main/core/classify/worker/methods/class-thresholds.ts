/**
 * Per-class pseudo-label thresholds a method carries from step to step and in its checkpoints: FlexMatch's
 * curriculum (flexmatch-thresholds.ts) or FreeMatch's self-adaptive thresholds (freematch-thresholds.ts).
 */
import { FlexMatchThresholds, type FlexMatchState } from './flexmatch-thresholds.js';
import { FreeMatchThresholds, type FreeMatchState } from './freematch-thresholds.js';

export interface ClassThresholds {
  /** T(c) per class, in class order, as they stand before the next step. */
  classThresholds(): number[];
  /** Learns from one step's weak probabilities (row-major [rows, C]; `indices`: each row's unlabelled clip). */
  update(indices: readonly number[], probs: Float32Array): void;
  toJSON(): ClassThresholdsState;
}

export type ClassThresholdsState = FlexMatchState | FreeMatchState;

/** The thresholds a checkpoint holds (FreeMatch's state names its kind; FlexMatch's predates kinds). */
export function classThresholdsFromJSON(state: ClassThresholdsState): ClassThresholds {
  return 'kind' in state ? FreeMatchThresholds.fromJSON(state) : FlexMatchThresholds.fromJSON(state);
}
