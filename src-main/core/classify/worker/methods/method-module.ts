/**
 * A training method as the engine's worker runs it: its declaration (shared/methods: settings, what a batch
 * needs), its loss, and what it adds to the loop — a λu schedule, a pseudo-label rule, per-clip thresholds
 * (FlexMatch, FreeMatch) or rounds from fresh weights (UPS). Each method is one module of this folder, listed once in
 * registry.ts.
 */
import type * as tf from '@tensorflow/tfjs';
import type { MethodInfo, TrainSettings } from '../../../../shared/training.js';
import type { RunConfig } from '../../jobs.js';
import type { UpsState } from '../train/ups-round.js';
import type { ClassThresholds } from './class-thresholds.js';
import type { Batches, LossContext, PseudoLabelRule } from './loss-terms.js';
import type { GradientInput } from './step-gradients.js';

/** A method that trains in rounds, each from fresh weights on what the last round's model selected. */
export interface MethodRounds {
  /** Names the rounds in progress messages ("UPS round 2 of 3"). */
  label: string;
  /** What round 0 trains on. */
  initial(config: RunConfig): UpsState;
}

export interface MethodModule {
  readonly info: MethodInfo;
  /** The unlabelled loss's weight at step k of K (default: settings.lambdaU). */
  lambdaU?(settings: TrainSettings, step: number, totalSteps: number): number;
  /** Which weak predictions become pseudo-labels this step (default: one threshold τ). */
  rule?(settings: TrainSettings, thresholds: ClassThresholds | null | undefined): PseudoLabelRule;
  /** The step may come without unlabelled clips (UPS's first round trains on the labelled clips alone). */
  unlabelledOptional?: boolean;
  /** Its unlabelled loss needs no pseudo-label rule (TCL contrasts; UPS's selection was its threshold). */
  ruleFree?: boolean;
  /** Checks what the method needs beyond the views its declaration names (throws saying what is missing). */
  check?(batches: Batches, input: GradientInput): void;
  /** The step's loss closure for variableGrads. */
  loss(ctx: LossContext): () => tf.Scalar;
  /** Per-class thresholds kept across steps from the weak predictions (FlexMatch: per clip; FreeMatch: running means). */
  thresholds?(settings: TrainSettings, classes: number, unlabelledCount: number): ClassThresholds;
  rounds?: MethodRounds;
}
