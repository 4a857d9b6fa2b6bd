/**
 * One optimisation step of any method: gradients of the step's loss (step-gradients.ts), then the SGD
 * update with weight decay, the pseudo-label state's update (thresholds, alignment) and the EMA update. A step split across threads
 * computes the gradients per shard, adds them, and applies them here the same way.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainSettings } from '../../../../shared/training.js';
import type { EmaWeights } from './ema-weights.js';
import type { ClassThresholds } from './class-thresholds.js';
import { alignProbabilities, DistributionAlignment } from './distribution-alignment.js';
import { cosineLearningRate } from './learning-rate.js';
import { isDecayed, withWeightDecay } from './optimizer.js';
import { methodModule } from './registry.js';
import { computeStepGradients, type PseudoLabelRule, type StepValues } from './step-gradients.js';

export interface TrainStepInput {
  model: tf.LayersModel;
  optimizer: tf.MomentumOptimizer;
  settings: TrainSettings;
  /** B labelled clips [B, T, S, S, 3] (weakly augmented) and their classes (int32 [B]). */
  labelled: { x: tf.Tensor5D; y: tf.Tensor1D };
  /** μB unlabelled clips, weak view (every method but supervised). */
  unlabelledWeak?: tf.Tensor5D | null;
  /** The same μB clips, strong view (fixmatch, flexmatch, mvpl). */
  unlabelledStrong?: tf.Tensor5D | null;
  /** Each unlabelled row's index in [0, N) of the run's unlabelled set (flexmatch, freematch). */
  indices?: readonly number[] | null;
  /** k, 0-based, and K: the cosine schedule and the pseudo-label ramp read them. */
  step: number;
  totalSteps: number;
  /** Per-class thresholds (flexmatch, freematch), updated after the step. */
  thresholds?: ClassThresholds | null;
  /** Distribution alignment, when the run's settings ask for it; updated after the step. */
  alignment?: DistributionAlignment | null;
  /** Updated after the step when given. */
  ema?: EmaWeights | null;
}

export interface TrainStepResult extends StepValues {
  learningRate: number;
  /** The λu actually used (ramped for pseudolabel). */
  lambdaU: number;
}

/** What a run carries from step to step to pseudo-label with: per-class thresholds and distribution alignment (null: unused). */
export interface PseudoLabelState {
  thresholds: ClassThresholds | null;
  alignment: DistributionAlignment | null;
}

/**
 * A run's pseudo-label state before its first step: its method's thresholds, and distribution alignment to the
 * labelled clips' class prior (uniform without labelled clips) where the method has the setting and it is on.
 */
export function freshPseudoLabelState(settings: TrainSettings, classes: number, unlabelledCount: number, labelledClasses: readonly number[] = []): PseudoLabelState {
  const method = methodModule(settings.method);
  const aligns = method.info.settings.includes('distributionAlignment') && settings.distributionAlignment;
  const alignment = !aligns
    ? null
    : labelledClasses.length > 0
      ? DistributionAlignment.fromLabels(labelledClasses, classes)
      : new DistributionAlignment(new Array<number>(classes).fill(1 / classes));
  return { thresholds: method.thresholds?.(settings, classes, unlabelledCount) ?? null, alignment };
}

/** The rule this step's pseudo-labels use: the method's thresholds and the alignment's ratios as they stand before the step. */
export function pseudoLabelRule(settings: TrainSettings, state: PseudoLabelState | null | undefined): PseudoLabelRule | null {
  const method = methodModule(settings.method);
  if (method.info.unlabelledViews === 'none') return null;
  const rule = method.rule?.(settings, state?.thresholds) ?? { kind: 'fixed', threshold: settings.threshold };
  const alignment = state?.alignment ?? null;
  return alignment === null ? rule : { ...rule, alignment: alignment.ratios() };
}

/** After a step: the thresholds learn from the weak probabilities the step thresholded (aligned), the alignment from the raw ones. */
export function updatePseudoLabelState(state: PseudoLabelState, indices: readonly number[], weakProbs: Float32Array): void {
  const { thresholds, alignment } = state;
  thresholds?.update(indices, alignment === null ? weakProbs : alignProbabilities(weakProbs, alignment.ratios()));
  alignment?.update(weakProbs);
}

/** A method with per-clip thresholds (FlexMatch) updates them from each unlabelled row: it needs every row's clip index. */
export function checkFlexIndices(settings: TrainSettings, indices: readonly number[] | null | undefined, rows: number): void {
  if (methodModule(settings.method).thresholds !== undefined && (indices == null || indices.length !== rows)) {
    throw new Error(`${settings.method} needs one unlabelled index per row (${rows} rows, ${indices?.length ?? 0} indices)`);
  }
}

/** Sets the cosine learning rate for step k and applies `grads` (one per trainable weight) with weight decay; returns the rate. */
export function applyStepGradients(
  model: tf.LayersModel,
  optimizer: tf.MomentumOptimizer,
  settings: TrainSettings,
  grads: readonly tf.Tensor[],
  step: number,
  totalSteps: number,
): number {
  const weights = model.trainableWeights;
  if (grads.length !== weights.length) throw new Error(`${grads.length} gradients for ${weights.length} trainable weights`);
  const learningRate = cosineLearningRate(settings.learningRate, step, totalSteps);
  optimizer.setLearningRate(learningRate);
  const decayed = tf.tidy(() =>
    weights.map((w, i) => {
      const variable = w.read() as tf.Variable;
      const grad = grads[i] as tf.Tensor;
      return { name: variable.name, tensor: isDecayed(w) ? withWeightDecay(grad, variable, settings.weightDecay) : tf.clone(grad) };
    }),
  );
  try {
    optimizer.applyGradients(decayed);
  } finally {
    tf.dispose(decayed.map((g) => g.tensor));
  }
  return learningRate;
}

/** Runs one step (forward, backward, SGD update, pseudo-label state and EMA updates) and returns its numbers; disposes what it creates. */
export async function trainStep(input: TrainStepInput): Promise<TrainStepResult> {
  const { model, optimizer, settings } = input;
  const weak = input.unlabelledWeak ?? null;
  if (weak !== null) checkFlexIndices(settings, input.indices, weak.shape[0]);
  const state: PseudoLabelState = { thresholds: input.thresholds ?? null, alignment: input.alignment ?? null };
  const step = await computeStepGradients({ ...input, rule: pseudoLabelRule(settings, state) });
  try {
    const learningRate = applyStepGradients(model, optimizer, settings, step.grads, input.step, input.totalSteps);
    if (step.weakProbs !== null) updatePseudoLabelState(state, input.indices ?? [], step.weakProbs);
    input.ema?.update(model);
    return { ...step.values, learningRate, lambdaU: step.lambdaU };
  } finally {
    tf.dispose(step.grads);
  }
}
