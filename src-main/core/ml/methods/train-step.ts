/**
 * One optimisation step of any method: the trainer calls this per step with the batches it built.
 * Losses follow METHODS.md: supervised CE on the labelled batch B, plus for the SSL methods
 * λu · Σ mask·H(pseudo, f(u)) / (μB).
 * - pseudolabel (USB style): pseudo-labels from the same weak forward that gets the loss (targets detached),
 *   λu ramped in over `unsupervisedWarmup` of the run.
 * - fixmatch / flexmatch: one forward over [labelled, weak, strong], as FixMatch's own code does, so batch
 *   norm normalises all three together; pseudo-labels come from the weak rows (detached), the loss from
 *   the strong rows. A separate no-gradient weak pass is cheaper, but on the digit benchmark it scored
 *   10 points lower at the same budget (docs/benchmarks.md): the strong views alone give the labelled
 *   rows batch statistics of heavily augmented clips.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainSettings } from '../../../shared/training.js';
import type { EmaWeights } from './ema-weights.js';
import { rowMax, type FlexMatchThresholds } from './flexmatch-thresholds.js';
import { cosineLearningRate, unsupervisedRamp } from './learning-rate.js';
import { accuracy, crossEntropy, stopGradient, unlabelledLoss } from './losses.js';
import { isDecayed, withWeightDecay } from './optimizer.js';

export interface TrainStepInput {
  model: tf.LayersModel;
  optimizer: tf.MomentumOptimizer;
  settings: TrainSettings;
  /** B labelled clips [B, T, S, S, 3] (weakly augmented) and their classes (int32 [B]). */
  labelled: { x: tf.Tensor5D; y: tf.Tensor1D };
  /** μB unlabelled clips, weak view (pseudolabel, fixmatch, flexmatch). */
  unlabelledWeak?: tf.Tensor5D | null;
  /** The same μB clips, strong view (fixmatch, flexmatch). */
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

export interface TrainStepResult {
  loss: number;
  supervisedLoss: number;
  unsupervisedLoss: number;
  /** Share of unlabelled rows that passed the threshold (0 for supervised). */
  maskRate: number;
  /** Accuracy on the labelled batch (training mode, augmented). */
  trainAccuracy: number;
  learningRate: number;
  /** The λu actually used (ramped for pseudolabel). */
  lambdaU: number;
}

interface Batches {
  x: tf.Tensor5D;
  y: tf.Tensor1D;
  weak: tf.Tensor5D | null;
  strong: tf.Tensor5D | null;
}

function rowsOf(t: tf.Tensor): number {
  return t.shape[0] ?? 0;
}

function checkedBatches(input: TrainStepInput): Batches {
  const { settings, labelled } = input;
  const method = settings.method;
  if (rowsOf(labelled.x) !== rowsOf(labelled.y)) {
    throw new Error(`labelled batch has ${rowsOf(labelled.x)} clips but ${rowsOf(labelled.y)} labels`);
  }
  if (rowsOf(labelled.x) === 0) throw new Error('labelled batch is empty');
  const weak = input.unlabelledWeak ?? null;
  const strong = input.unlabelledStrong ?? null;
  if (method !== 'supervised' && weak === null) throw new Error(`${method} needs unlabelledWeak clips`);
  if ((method === 'fixmatch' || method === 'flexmatch') && strong === null) throw new Error(`${method} needs unlabelledStrong clips`);
  if (weak !== null && strong !== null && rowsOf(weak) !== rowsOf(strong)) {
    throw new Error(`weak (${rowsOf(weak)}) and strong (${rowsOf(strong)}) unlabelled batches differ in size`);
  }
  if (method === 'flexmatch') {
    if (input.flex == null) throw new Error('flexmatch needs its FlexMatchThresholds (flex)');
    if (input.indices == null || input.indices.length !== rowsOf(weak as tf.Tensor)) {
      throw new Error(`flexmatch needs one unlabelled index per row (${rowsOf(weak as tf.Tensor)} rows, ${input.indices?.length ?? 0} indices)`);
    }
  }
  return { x: labelled.x, y: labelled.y, weak, strong };
}

function forward(model: tf.LayersModel, x: tf.Tensor): tf.Tensor2D {
  return model.apply(x, { training: true }) as tf.Tensor2D;
}

/** Pseudo-labels and mask from the weak views' probabilities: fixmatch (fixed τ) or flexmatch (per-class thresholds, then updated). */
function pseudoLabelsFrom(input: TrainStepInput, probsTensor: tf.Tensor2D): { labels: Int32Array; mask: Float32Array } {
  const [rows = 0, classes = 0] = probsTensor.shape;
  const probs = probsTensor.dataSync() as Float32Array;
  const threshold = Math.fround(input.settings.threshold);
  const labels = new Int32Array(rows);
  const mask = new Float32Array(rows);
  for (let row = 0; row < rows; row++) {
    const { top, best } = rowMax(probs, row, classes);
    labels[row] = best;
    mask[row] = top >= threshold ? 1 : 0;
  }
  const flex = input.flex;
  if (input.settings.method === 'flexmatch' && flex != null) {
    const indices = input.indices ?? [];
    mask.set(flex.mask(probs, indices));
    flex.update(indices, probs);
  }
  return { labels, mask };
}

/** Values the loss closure reports besides the total; all kept out of variableGrads' tidy. */
interface SideValues {
  supervised?: tf.Scalar;
  trainAccuracy?: tf.Scalar;
  unsupervised?: tf.Scalar;
  maskRate?: tf.Scalar;
}

/** Builds the loss closure for variableGrads; everything it keeps goes into `owned` for the caller to dispose. */
function lossFunction(input: TrainStepInput, batches: Batches, lambdaU: number, side: SideValues, owned: tf.Tensor[]): () => tf.Scalar {
  const { model, settings } = input;
  const b = rowsOf(batches.x);
  const keep = <T extends tf.Tensor>(t: T): T => {
    owned.push(tf.keep(t));
    return t;
  };
  const labelledTerms = (logits: tf.Tensor2D): tf.Scalar => {
    side.supervised = keep(crossEntropy(logits, batches.y));
    side.trainAccuracy = keep(accuracy(logits, batches.y));
    return side.supervised;
  };
  const unlabelledTerms = (logits: tf.Tensor2D, pseudo: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar => {
    side.unsupervised = keep(unlabelledLoss(logits, pseudo, mask));
    side.maskRate = keep(tf.mean<tf.Scalar>(mask));
    return side.unsupervised;
  };
  if (settings.method === 'supervised') return () => labelledTerms(forward(model, batches.x));
  if (settings.method === 'pseudolabel') {
    const weak = batches.weak as tf.Tensor5D;
    return () => {
      const logits = forward(model, tf.concat([batches.x, weak], 0));
      const unlabelledLogits = tf.slice(logits, [b, 0], [-1, -1]);
      const probs = tf.softmax(stopGradient(unlabelledLogits));
      const pseudo = tf.argMax<tf.Tensor1D>(probs, 1);
      const mask = tf.cast(tf.greaterEqual(tf.max(probs, 1), settings.threshold), 'float32') as tf.Tensor1D;
      const supervised = labelledTerms(tf.slice(logits, [0, 0], [b, -1]));
      return tf.add<tf.Scalar>(supervised, tf.mul(unlabelledTerms(unlabelledLogits, pseudo, mask), lambdaU));
    };
  }
  const strong = batches.strong as tf.Tensor5D;
  const weak = batches.weak as tf.Tensor5D;
  const mu = rowsOf(weak);
  return () => {
    const logits = forward(model, tf.concat([batches.x, weak, strong], 0));
    const { labels, mask } = pseudoLabelsFrom(input, tf.softmax(stopGradient(tf.slice(logits, [b, 0], [mu, -1]))));
    const supervised = labelledTerms(tf.slice(logits, [0, 0], [b, -1]));
    const unsupervised = unlabelledTerms(
      tf.slice(logits, [b + mu, 0], [-1, -1]),
      tf.tensor1d(labels, 'int32'),
      tf.tensor1d(mask, 'float32'),
    );
    return tf.add<tf.Scalar>(supervised, tf.mul(unsupervised, lambdaU));
  };
}

/** Runs one step (forward, backward, SGD update, EMA update) and returns its numbers; disposes what it creates. */
export function trainStep(input: TrainStepInput): TrainStepResult {
  const { model, optimizer, settings } = input;
  const batches = checkedBatches(input);
  const learningRate = cosineLearningRate(settings.learningRate, input.step, input.totalSteps);
  optimizer.setLearningRate(learningRate);
  const lambdaU =
    settings.method === 'supervised'
      ? 0
      : settings.lambdaU * (settings.method === 'pseudolabel' ? unsupervisedRamp(input.step, input.totalSteps, settings.unsupervisedWarmup) : 1);
  const owned: tf.Tensor[] = [];
  const side: SideValues = {};
  const weights = model.trainableWeights;
  const variables = weights.map((w) => w.read() as tf.Variable);
  let total: tf.Scalar | null = null;
  let grads: tf.NamedTensorMap = {};
  try {
    const lossFn = lossFunction(input, batches, lambdaU, side, owned);
    ({ value: total, grads } = tf.variableGrads(lossFn, variables));
    const decayed = tf.tidy(() =>
      weights.flatMap((w, i) => {
        const variable = variables[i] as tf.Variable;
        const grad = grads[variable.name];
        if (grad === undefined) return [];
        return [{ name: variable.name, tensor: isDecayed(w) ? withWeightDecay(grad, variable, settings.weightDecay) : tf.clone(grad) }];
      }),
    );
    try {
      optimizer.applyGradients(decayed);
    } finally {
      tf.dispose(decayed.map((g) => g.tensor));
    }
    const loss = total;
    const values = tf.tidy(() => {
      const zero = tf.scalar(0);
      return tf.stack([loss, side.supervised ?? loss, side.unsupervised ?? zero, side.maskRate ?? zero, side.trainAccuracy ?? zero]).dataSync();
    });
    input.ema?.update(model);
    return {
      loss: values[0] ?? NaN,
      supervisedLoss: values[1] ?? NaN,
      unsupervisedLoss: values[2] ?? NaN,
      maskRate: values[3] ?? NaN,
      trainAccuracy: values[4] ?? NaN,
      learningRate,
      lambdaU,
    };
  } finally {
    tf.dispose([...owned, ...(total === null ? [] : [total]), ...Object.values(grads)]);
  }
}
