/**
 * One optimisation step of any method: gradients of the step's loss (step-gradients.ts), then the SGD
 * update with weight decay, FlexMatch's threshold update and the EMA update. A step split across threads
 * computes the gradients per shard, adds them, and applies them here the same way.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainSettings } from '../../../../shared/training.js';
import type { EmaWeights } from './ema-weights.js';
import type { FlexMatchThresholds } from './flexmatch-thresholds.js';
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
  /** Each unlabelled row's index in [0, N) of the run's unlabelled set (flexmatch). */
  indices?: readonly number[] | null;
  /** k, 0-based, and K: the cosine schedule and the pseudo-label ramp read them. */
  step: number;
  totalSteps: number;
  flex?: FlexMatchThresholds | null;
  /** Updated after the step when given. */
  ema?: EmaWeights | null;
}

export interface TrainStepResult extends StepValues {
  learningRate: number;
  /** The λu actually used (ramped for pseudolabel). */
  lambdaU: number;
}

/** The threshold rule this step's pseudo-labels use; FlexMatch's thresholds as they stand before the step. */
export function pseudoLabelRule(settings: TrainSettings, flex: FlexMatchThresholds | null | undefined): PseudoLabelRule | null {
  const method = methodModule(settings.method);
  if (method.info.unlabelledViews === 'none') return null;
  return method.rule?.(settings, flex) ?? { kind: 'fixed', threshold: settings.threshold };
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

/** Runs one step (forward, backward, SGD update, FlexMatch and EMA updates) and returns its numbers; disposes what it creates. */
export async function trainStep(input: TrainStepInput): Promise<TrainStepResult> {
  const { model, optimizer, settings } = input;
  const weak = input.unlabelledWeak ?? null;
  if (weak !== null) checkFlexIndices(settings, input.indices, weak.shape[0]);
  const step = await computeStepGradients({ ...input, rule: pseudoLabelRule(settings, input.flex) });
  try {
    const learningRate = applyStepGradients(model, optimizer, settings, step.grads, input.step, input.totalSteps);
    if (input.flex != null && step.weakProbs !== null) input.flex.update(input.indices ?? [], step.weakProbs);
    input.ema?.update(model);
    return { ...step.values, learningRate, lambdaU: step.lambdaU };
  } finally {
    tf.dispose(step.grads);
  }
}
