/**
 * The loss and gradients of one step's batch, or of one shard of it when a step is split across threads.
 * Losses follow METHODS.md: supervised CE on the labelled batch B, plus for the SSL methods
 * λu · Σ mask·H(pseudo, f(u)) / (μB); each method's own loss is in its module (registry.ts), the
 * pretraining stage's in pretrain.ts. Here: the checks every batch passes, and the gradients.
 * A shard's terms are scaled by its share of the step's rows, so the shards' losses and gradients add up
 * to the whole step's (the supervised mean is over B, the unlabelled sum over μB, wherever the rows ran).
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainSettings } from '../../../../shared/training.js';
import type { ExtraHeads } from '../models/extra-heads.js';
import type { TeacherTargets, TrainingStage, UnlabelledTargets } from '../train/step-tensors.js';
import { lossContext, rowsOf, type Batches, type PseudoLabelRule, type ShardShare, type SideValues } from './loss-terms.js';
import type { MethodModule } from './method-module.js';
import { pretrainLoss } from './pretrain.js';
import { methodModule } from './registry.js';

export { WHOLE_STEP, type PseudoLabelRule, type ShardShare } from './loss-terms.js';


export interface GradientInput {
  model: tf.LayersModel;
  settings: TrainSettings;
  /** Labelled clips [b, T, S, S, 3] (weakly augmented) and their classes (int32 [b]). */
  labelled: { x: tf.Tensor5D; y: tf.Tensor1D };
  /** Unlabelled clips, weak view (every method but supervised; TCL's base pathway). */
  unlabelledWeak?: tf.Tensor5D | null;
  /** The same clips, strong view (fixmatch, flexmatch, mvpl). */
  unlabelledStrong?: tf.Tensor5D | null;
  /** The same clips at double speed (tcl). */
  unlabelledAux?: tf.Tensor5D | null;
  /** k, 0-based, and K: the pseudo-label ramp reads them. */
  step: number;
  totalSteps: number;
  /** Required by pseudolabel, fixmatch and flexmatch. */
  rule?: PseudoLabelRule | null;
  /** UPS: each unlabelled row's pseudo-label and ruled-out classes. */
  targets?: UnlabelledTargets | null;
  /** VideoSSL: the teacher's probabilities for each labelled and each unlabelled clip. */
  teacher?: TeacherTargets | null;
  /** The model's training-only heads (extra-heads.ts); none by default. */
  heads?: ExtraHeads;
  /**
   * 'pretrain': a self-supervised step over `labelled.x`, here every clip of the step (labels unused),
   * and `unlabelledAux`, the same clips at double speed. Default 'train'.
   */
  stage?: TrainingStage;
  share?: ShardShare;
}

/** This batch's part of the step's numbers; the parts of a split step add up to the whole. */
export interface StepValues {
  loss: number;
  supervisedLoss: number;
  /** Before λu. */
  unsupervisedLoss: number;
  /** Share of the step's unlabelled rows that passed the threshold (0 for supervised). */
  maskRate: number;
  /** Accuracy on the labelled batch (training mode, augmented). */
  trainAccuracy: number;
}

export interface StepGradients {
  /** One gradient per `model.trainableWeights`, in that order; the caller disposes them. */
  grads: tf.Tensor[];
  values: StepValues;
  /** The weak views' probabilities, row-major [rows, C] (fixmatch, flexmatch; mvpl: averaged over views): FlexMatch updates its thresholds from them. */
  weakProbs: Float32Array | null;
  /** The λu used (ramped for pseudolabel). */
  lambdaU: number;
}

/** The unlabelled loss's weight at step k of K for the run's method. */
function lambdaUAt(settings: TrainSettings, step: number, totalSteps: number): number {
  return methodModule(settings.method).lambdaU?.(settings, step, totalSteps) ?? settings.lambdaU;
}

/** The checks every method's batch passes: its views, the unlabelled views its declaration names, then the method's own. */
function checkedBatches(input: GradientInput, method: MethodModule): Batches {
  const { labelled } = input;
  const { name, clipViews: views, unlabelledViews } = method.info;
  if (rowsOf(labelled.x) !== views * rowsOf(labelled.y)) {
    throw new Error(`labelled batch has ${rowsOf(labelled.x)} rows but ${rowsOf(labelled.y)} labels${views > 1 ? ` (${views} views each)` : ''}`);
  }
  const weak = input.unlabelledWeak ?? null;
  // A micro-batch may hold unlabelled clips only (a step split finer than its labelled clips), never nothing.
  if (rowsOf(labelled.x) === 0 && (weak === null || rowsOf(weak) === 0)) throw new Error('labelled batch is empty');
  const strong = input.unlabelledStrong ?? null;
  if (unlabelledViews !== 'none' && method.unlabelledOptional !== true && weak === null) throw new Error(`${name} needs unlabelledWeak clips`);
  if (unlabelledViews === 'weak+strong' && strong === null) throw new Error(`${name} needs unlabelledStrong clips`);
  if (weak !== null && rowsOf(weak) % views !== 0) throw new Error(`${rowsOf(weak)} unlabelled rows cannot hold ${views} views per clip`);
  if (weak !== null && strong !== null && rowsOf(weak) !== rowsOf(strong)) {
    throw new Error(`weak (${rowsOf(weak)}) and strong (${rowsOf(strong)}) unlabelled batches differ in size`);
  }
  const batches: Batches = { x: labelled.x, y: labelled.y, weak, strong, aux: input.unlabelledAux ?? null };
  if (unlabelledViews !== 'none' && method.ruleFree !== true && input.rule == null) throw new Error(`${name} needs a pseudo-label rule`);
  method.check?.(batches, input);
  return batches;
}

/** Forward and backward over one batch (a whole step's or one shard's); changes no weight. */
export async function computeStepGradients(input: GradientInput): Promise<StepGradients> {
  const pretraining = input.stage === 'pretrain';
  const method = methodModule(input.settings.method);
  const lambdaU = pretraining ? 0 : lambdaUAt(input.settings, input.step, input.totalSteps);
  const owned: tf.Tensor[] = [];
  const side: SideValues = {};
  const lossOf = pretraining
    ? pretrainLoss(input, side, owned)
    : method.loss(lossContext(input, checkedBatches(input, method), lambdaU, side, owned));
  const variables = input.model.trainableWeights.map((w) => w.read() as tf.Variable);
  let total: tf.Scalar | null = null;
  let named: tf.NamedTensorMap = {};
  try {
    ({ value: total, grads: named } = tf.variableGrads(lossOf, variables));
    const loss = total;
    const stacked = tf.tidy(() => {
      const zero = tf.scalar(0);
      return tf.stack([loss, side.supervised ?? loss, side.unsupervised ?? zero, side.maskRate ?? zero, side.trainAccuracy ?? zero]);
    });
    // Read asynchronously: a GPU backend (webgpu) cannot read back synchronously in Node.
    const numbers = await stacked.data();
    stacked.dispose();
    const weakProbs = side.weakProbs === undefined ? null : ((await side.weakProbs.data()) as Float32Array);
    const grads = variables.map((v) => {
      const grad = named[v.name];
      return grad === undefined ? tf.zerosLike(v) : grad;
    });
    named = {};
    return {
      grads,
      values: {
        loss: numbers[0] ?? NaN,
        supervisedLoss: numbers[1] ?? NaN,
        unsupervisedLoss: numbers[2] ?? NaN,
        maskRate: numbers[3] ?? NaN,
        trainAccuracy: numbers[4] ?? NaN,
      },
      weakProbs,
      lambdaU,
    };
  } finally {
    tf.dispose([...owned, ...(total === null ? [] : [total]), ...Object.values(named)]);
  }
}
