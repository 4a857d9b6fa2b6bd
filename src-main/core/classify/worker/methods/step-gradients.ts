/**
 * The loss and gradients of one step's batch, or of one shard of it when a step is split across threads.
 * Losses follow METHODS.md: supervised CE on the labelled batch B, plus for the SSL methods
 * λu · Σ mask·H(pseudo, f(u)) / (μB).
 * - pseudolabel (USB style): pseudo-labels from the same weak forward that gets the loss (targets detached),
 *   λu ramped in over `unsupervisedWarmup` of the run.
 * - fixmatch / flexmatch: one forward over [labelled, weak, strong], as FixMatch's own code does, so batch
 *   norm normalises all three together; pseudo-labels come from the weak rows (detached), the loss from
 *   the strong rows. A separate no-gradient weak pass is cheaper, but on the digit benchmark it scored
 *   10 points lower at the same budget (docs/benchmarks.md): the strong views alone give the labelled
 *   rows batch statistics of heavily augmented clips.
 * - mvpl: the same over every view of each clip (clips arrive view-major, multi-view.ts): Σ_v H_lab(v), and
 *   ŷ = argmax of the views' mean weak probability supervises every view's strong copy,
 *   λu (1/μB) Σ_b Σ_v 1[max ≥ τ] H(ŷ, f(strong(x^v))).
 * - ups: the unlabelled rows are clips UPS selected (ups-round.ts); a row with a pseudo-label gets its
 *   cross-entropy, a row with "surely not" classes the negative-learning loss, both over μB:
 *   λu (1/μB) (Σ_pos H(ŷ, f(u)) + Σ_neg ℓ_NL(f(u))). No threshold at step time: the selection was the threshold.
 * - tcl: each unlabelled clip's prediction at its own pace (base, detached) and at double speed (aux) are pulled
 *   together and apart from other clips': γ·NT-Xent over the softmax outputs plus the group contrast
 *   (tcl-group-loss.ts), after a supervised-only warm-up. A shard contrasts its own rows only. With
 *   `tclFinetune`, the last share of training fine-tunes on pseudo-labels instead (pseudolabel's loss at τ).
 * - videossl: pseudolabel's loss without the ramp, plus λd · (mean KL over the labelled clips + mean KL over the
 *   unlabelled ones) between the teacher's probabilities and the extra head (distillation.ts).
 * - pretraining (stage 'pretrain', any method): NT-Xent between the projection head's outputs for each clip and its
 *   double-speed copy, the clip played backwards a negative; no labels, no classifier term.
 * A shard's terms are scaled by its share of the step's rows, so the shards' losses and gradients add up
 * to the whole step's (the supervised mean is over B, the unlabelled sum over μB, wherever the rows ran).
 */
import * as tf from '@tensorflow/tfjs';
import { usesStrongViews, type TrainSettings } from '../../../../shared/training.js';
import { maskFromThresholds, rowMax } from './flexmatch-thresholds.js';
import { unsupervisedRamp } from './learning-rate.js';
import { MULTI_VIEW_COUNT } from '../train/multi-view.js';
import type { TeacherTargets, TrainingStage, UnlabelledTargets } from '../train/step-tensors.js';
import { NO_HEADS, splitHeads, type ExtraHeads, type HeadOutputs } from '../models/extra-heads.js';
import { distillationLoss } from './distillation.js';
import { accuracy, crossEntropy, crossEntropyPerRow, stopGradient, unlabelledLoss } from '../../../engine/worker/losses.js';
import { negativeLearningLossPerRow } from './negative-learning.js';
import { ntXentLoss } from './nt-xent.js';
import { TCL_GAMMA, TCL_TEMPERATURE, tclGroupLoss } from './tcl-group-loss.js';

/** Which weak predictions become pseudo-labels: one τ (pseudolabel, fixmatch) or FlexMatch's per-class thresholds. */
export type PseudoLabelRule = { kind: 'fixed'; threshold: number } | { kind: 'per-class'; thresholds: readonly number[] };

/** What part of the step's B labelled and μB unlabelled rows this batch holds (1 and 1 for a whole step). */
export interface ShardShare {
  labelled: number;
  unlabelled: number;
  /** Of all the step's clips, labelled or not (pretraining contrasts them all). */
  clips: number;
}

export const WHOLE_STEP: ShardShare = { labelled: 1, unlabelled: 1, clips: 1 };

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

interface Batches {
  x: tf.Tensor5D;
  y: tf.Tensor1D;
  weak: tf.Tensor5D | null;
  strong: tf.Tensor5D | null;
  aux: tf.Tensor5D | null;
}

function rowsOf(t: tf.Tensor): number {
  return t.shape[0] ?? 0;
}

/** Views each clip arrives in (its rows are view-major). */
function viewsOf(settings: TrainSettings): number {
  return settings.method === 'mvpl' ? MULTI_VIEW_COUNT : 1;
}

function checkedBatches(input: GradientInput): Batches {
  const { settings, labelled } = input;
  const method = settings.method;
  const views = viewsOf(settings);
  if (rowsOf(labelled.x) !== views * rowsOf(labelled.y)) {
    throw new Error(`labelled batch has ${rowsOf(labelled.x)} rows but ${rowsOf(labelled.y)} labels${views > 1 ? ` (${views} views each)` : ''}`);
  }
  if (rowsOf(labelled.x) === 0) throw new Error('labelled batch is empty');
  const weak = input.unlabelledWeak ?? null;
  const strong = input.unlabelledStrong ?? null;
  // UPS's first round trains on the labelled clips alone unless people ruled out classes.
  if (method !== 'supervised' && method !== 'ups' && weak === null) throw new Error(`${method} needs unlabelledWeak clips`);
  if (usesStrongViews(method) && strong === null) throw new Error(`${method} needs unlabelledStrong clips`);
  if (weak !== null && rowsOf(weak) % views !== 0) throw new Error(`${rowsOf(weak)} unlabelled rows cannot hold ${views} views per clip`);
  if (weak !== null && strong !== null && rowsOf(weak) !== rowsOf(strong)) {
    throw new Error(`weak (${rowsOf(weak)}) and strong (${rowsOf(strong)}) unlabelled batches differ in size`);
  }
  const aux = input.unlabelledAux ?? null;
  if (method === 'tcl') {
    // No pseudo-label rule: TCL's unlabelled losses are contrastive, between each clip and its double-speed copy.
    if (weak !== null && (aux === null || rowsOf(aux) !== rowsOf(weak))) {
      throw new Error(`tcl needs a double-speed clip per unlabelled row (${rowsOf(weak)} rows, ${aux === null ? 0 : rowsOf(aux)} double-speed clips)`);
    }
  } else if (method === 'ups') {
    if (weak !== null && input.targets?.labels.length !== rowsOf(weak)) {
      throw new Error(`ups needs a target per unlabelled row (${rowsOf(weak)} rows, ${input.targets?.labels.length ?? 0} targets)`);
    }
  } else if (method !== 'supervised' && input.rule == null) throw new Error(`${method} needs a pseudo-label rule`);
  if (method === 'videossl') checkTeacher(input, rowsOf(labelled.y), weak === null ? 0 : rowsOf(weak));
  return { x: labelled.x, y: labelled.y, weak, strong, aux };
}

function checkTeacher(input: GradientInput, labelled: number, unlabelled: number): void {
  const teacher = input.teacher;
  const width = input.heads?.teacher ?? 0;
  if (width === 0) throw new Error('videossl needs a model with a teacher head');
  if (teacher == null || teacher.labelled.length !== labelled || teacher.unlabelled.length !== unlabelled) {
    throw new Error(
      `videossl needs the teacher's output for every clip (${labelled} labelled and ${unlabelled} unlabelled; got ${teacher?.labelled.length ?? 0} and ${teacher?.unlabelled.length ?? 0})`,
    );
  }
  const wrong = [...teacher.labelled, ...teacher.unlabelled].find((row) => row.length !== width);
  if (wrong !== undefined) throw new Error(`the teacher gave ${wrong.length} values for a clip; the student's teacher head has ${width}`);
}

/** [rows, dim] from one Float32Array per row. */
function rowsTensor(rows: readonly Float32Array[], dim: number): tf.Tensor2D {
  const flat = new Float32Array(rows.length * dim);
  rows.forEach((row, i) => flat.set(row, i * dim));
  return tf.tensor2d(flat, [rows.length, dim]);
}

/** TCL's optional last part: the contrastive losses give way to pseudo-labels at τ on the base clips. */
export function tclFinetuning(settings: TrainSettings, step: number, totalSteps: number): boolean {
  return settings.method === 'tcl' && settings.tclFinetune > 0 && step >= (1 - settings.tclFinetune) * totalSteps;
}

export function lambdaUAt(settings: TrainSettings, step: number, totalSteps: number): number {
  if (settings.method === 'supervised') return 0;
  // TCL weighs its losses with γ (TCL_GAMMA) and has none of its own: on or off after the warm-up.
  if (settings.method === 'tcl') return step < settings.tclWarmup * totalSteps ? 0 : 1;
  const ramp = settings.method === 'pseudolabel' ? unsupervisedRamp(step, totalSteps, settings.unsupervisedWarmup) : 1;
  return settings.lambdaU * ramp;
}

/** The model in training mode on a batch, its output split into the class logits and any extra heads. */
type Forward = (x: tf.Tensor) => HeadOutputs;

function forwardOf(model: tf.LayersModel, heads: ExtraHeads): Forward {
  const width = model.outputs[0]?.shape[1] ?? 0;
  const classes = width - heads.teacher - heads.projection;
  return (x) => splitHeads(model.apply(x, { training: true }) as tf.Tensor2D, classes, heads);
}

/** Pseudo-labels (argmax) and mask (top probability reaching the rule's threshold for that class). */
function pseudoLabelsFrom(rule: PseudoLabelRule, probs: Float32Array, classes: number): { labels: Int32Array; mask: Float32Array } {
  const rows = classes > 0 ? probs.length / classes : 0;
  const labels = new Int32Array(rows);
  for (let row = 0; row < rows; row++) labels[row] = rowMax(probs, row, classes).best;
  const thresholds = rule.kind === 'fixed' ? new Array<number>(classes).fill(rule.threshold) : rule.thresholds;
  return { labels, mask: maskFromThresholds(probs, classes, thresholds) };
}

/** Values the loss closure reports besides the total; all kept out of variableGrads' tidy. */
interface SideValues {
  supervised?: tf.Scalar;
  trainAccuracy?: tf.Scalar;
  unsupervised?: tf.Scalar;
  maskRate?: tf.Scalar;
  weakProbs?: Float32Array;
}

/** Builds the loss closure for variableGrads; everything it keeps goes into `owned` for the caller to dispose. */
function lossFunction(input: GradientInput, batches: Batches, lambdaU: number, side: SideValues, owned: tf.Tensor[]): () => tf.Scalar {
  const { settings } = input;
  const run = forwardOf(input.model, input.heads ?? NO_HEADS);
  const forward = (x: tf.Tensor): tf.Tensor2D => run(x).logits;
  const share = input.share ?? WHOLE_STEP;
  const b = rowsOf(batches.x);
  const keep = <T extends tf.Tensor>(t: T): T => {
    owned.push(tf.keep(t));
    return t;
  };
  const scaled = (value: tf.Scalar, by: number): tf.Scalar => keep(tf.mul<tf.Scalar>(value, by));
  const labelledTerms = (logits: tf.Tensor2D): tf.Scalar => {
    const supervised = scaled(crossEntropy(logits, batches.y), share.labelled);
    side.supervised = supervised;
    side.trainAccuracy = scaled(accuracy(logits, batches.y), share.labelled);
    return supervised;
  };
  const unlabelledTerms = (logits: tf.Tensor2D, pseudo: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar => {
    const unsupervised = scaled(unlabelledLoss(logits, pseudo, mask), share.unlabelled);
    side.unsupervised = unsupervised;
    side.maskRate = scaled(tf.mean<tf.Scalar>(mask), share.unlabelled);
    return unsupervised;
  };
  if (settings.method === 'supervised' || (settings.method === 'ups' && batches.weak === null)) return () => labelledTerms(forward(batches.x));
  if (settings.method === 'tcl') {
    if (batches.weak === null || lambdaU === 0) return () => labelledTerms(forward(batches.x));
    if (!tclFinetuning(settings, input.step, input.totalSteps)) return temporalContrastLoss(batches, labelledTerms, side, scaled, share, forward);
    if (input.rule == null) throw new Error('tcl needs a pseudo-label rule for its fine-tuning');
  }
  if (settings.method === 'ups') return selectedLoss(batches, input.targets as UnlabelledTargets, lambdaU, labelledTerms, side, scaled, share, forward);
  const rule = input.rule as PseudoLabelRule;
  const weak = batches.weak as tf.Tensor5D;
  // Pseudo-label's terms on one forward of the labelled rows then the unlabelled ones: H(labelled) and the masked H(argmax).
  const selfTrainingTerms = (logits: tf.Tensor2D): { supervised: tf.Scalar; pseudo: tf.Scalar } => {
    const unlabelledLogits = tf.slice(logits, [b, 0], [-1, -1]);
    const probs = tf.softmax(stopGradient(unlabelledLogits));
    const { labels, mask } = pseudoLabelsFrom(rule, probs.dataSync() as Float32Array, probs.shape[1] ?? 0);
    return {
      supervised: labelledTerms(tf.slice(logits, [0, 0], [b, -1])),
      pseudo: unlabelledTerms(unlabelledLogits, tf.tensor1d(labels, 'int32'), tf.tensor1d(mask)),
    };
  };
  if (settings.method === 'pseudolabel' || settings.method === 'tcl') {
    return () => {
      const { supervised, pseudo } = selfTrainingTerms(forward(tf.concat([batches.x, weak], 0)));
      return tf.add<tf.Scalar>(supervised, tf.mul(pseudo, lambdaU));
    };
  }
  if (settings.method === 'videossl') {
    const teacher = input.teacher as TeacherTargets;
    const dim = input.heads?.teacher ?? 0;
    return () => {
      const outputs = run(tf.concat([batches.x, weak], 0));
      const { supervised, pseudo } = selfTrainingTerms(outputs.logits);
      const head = outputs.teacher as tf.Tensor2D;
      // Each kind's mean KL, weighted like the other terms by the shard's share of that kind.
      const distilled = tf.add(
        tf.mul(distillationLoss(rowsTensor(teacher.labelled, dim), tf.slice(head, [0, 0], [b, -1])), share.labelled),
        tf.mul(distillationLoss(rowsTensor(teacher.unlabelled, dim), tf.slice(head, [b, 0], [-1, -1])), share.unlabelled),
      );
      return tf.addN([supervised, tf.mul(pseudo, lambdaU), tf.mul(distilled, settings.distillWeight)]) as tf.Scalar;
    };
  }
  const strong = batches.strong as tf.Tensor5D;
  if (settings.method === 'mvpl') return multiViewLoss(batches, weak, strong, rule, lambdaU, share, side, scaled, forward);
  const mu = rowsOf(weak);
  return () => {
    const logits = forward(tf.concat([batches.x, weak, strong], 0));
    const probs = tf.softmax(stopGradient(tf.slice(logits, [b, 0], [mu, -1])));
    side.weakProbs = probs.dataSync() as Float32Array;
    const { labels, mask } = pseudoLabelsFrom(rule, side.weakProbs, probs.shape[1] ?? 0);
    const supervised = labelledTerms(tf.slice(logits, [0, 0], [b, -1]));
    const unsupervised = unlabelledTerms(tf.slice(logits, [b + mu, 0], [-1, -1]), tf.tensor1d(labels, 'int32'), tf.tensor1d(mask));
    return tf.add<tf.Scalar>(supervised, tf.mul(unsupervised, lambdaU));
  };
}

/** MvPL's loss closure (see the file comment); rows are view-major, V views of b labelled and μ unlabelled clips. */
function multiViewLoss(
  batches: Batches,
  weak: tf.Tensor5D,
  strong: tf.Tensor5D,
  rule: PseudoLabelRule,
  lambdaU: number,
  share: ShardShare,
  side: SideValues,
  scaled: (value: tf.Scalar, by: number) => tf.Scalar,
  forward: (x: tf.Tensor) => tf.Tensor2D,
): () => tf.Scalar {
  const views = MULTI_VIEW_COUNT;
  const b = rowsOf(batches.y);
  const mu = rowsOf(weak) / views;
  return () => {
    const logits = forward(tf.concat([batches.x, weak, strong], 0));
    const labelledLogits = tf.slice(logits, [0, 0], [views * b, -1]);
    // Σ_v of each view's mean cross-entropy = V × the mean over all V·b rows.
    const supervised = scaled(tf.mul<tf.Scalar>(crossEntropy(labelledLogits, tf.tile(batches.y, [views])), views), share.labelled);
    side.supervised = supervised;
    side.trainAccuracy = scaled(accuracy(tf.slice(logits, [0, 0], [b, -1]), batches.y), share.labelled);
    const weakProbs = tf.softmax(stopGradient(tf.slice(logits, [views * b, 0], [views * mu, -1])));
    const classes = weakProbs.shape[1] ?? 0;
    const averaged = tf.mean(tf.reshape(weakProbs, [views, mu, classes]), 0);
    side.weakProbs = averaged.dataSync() as Float32Array;
    const { labels, mask } = pseudoLabelsFrom(rule, side.weakProbs, classes);
    const maskTensor = tf.tensor1d(mask);
    // unlabelledLoss divides by its V·μ rows; × V makes it (1/μ) Σ_b Σ_v.
    const strongLogits = tf.slice(logits, [views * (b + mu), 0], [-1, -1]);
    const perView = unlabelledLoss(strongLogits, tf.tile(tf.tensor1d(labels, 'int32'), [views]), tf.tile(maskTensor, [views]));
    const unsupervised = scaled(tf.mul<tf.Scalar>(perView, views), share.unlabelled);
    side.unsupervised = unsupervised;
    side.maskRate = scaled(tf.mean<tf.Scalar>(maskTensor), share.unlabelled);
    return tf.add<tf.Scalar>(supervised, tf.mul(unsupervised, lambdaU));
  };
}

/** TCL's loss closure: labelled CE, plus γ·instance and group contrast between the base and double-speed clips. */
function temporalContrastLoss(
  batches: Batches,
  labelledTerms: (logits: tf.Tensor2D) => tf.Scalar,
  side: SideValues,
  scaled: (value: tf.Scalar, by: number) => tf.Scalar,
  share: ShardShare,
  forward: (x: tf.Tensor) => tf.Tensor2D,
): () => tf.Scalar {
  const b = rowsOf(batches.x);
  const weak = batches.weak as tf.Tensor5D;
  const aux = batches.aux as tf.Tensor5D;
  const mu = rowsOf(weak);
  return () => {
    const logits = forward(tf.concat([batches.x, weak, aux], 0));
    const supervised = labelledTerms(tf.slice(logits, [0, 0], [b, -1]));
    const base = tf.slice(logits, [b, 0], [mu, -1]);
    const fast = tf.slice(logits, [b + mu, 0], [mu, -1]);
    const instance = ntXentLoss(tf.softmax(base), tf.softmax(fast), { temperature: TCL_TEMPERATURE, detach: 'a' });
    const group = tclGroupLoss(base, fast, { temperature: TCL_TEMPERATURE, detachBase: true });
    const unsupervised = scaled(tf.add<tf.Scalar>(tf.mul(instance, TCL_GAMMA), group), share.unlabelled);
    side.unsupervised = unsupervised;
    return tf.add<tf.Scalar>(supervised, unsupervised);
  };
}

/** UPS's loss closure: labelled CE plus, over the selected unlabelled rows, positive CE and negative learning. */
function selectedLoss(
  batches: Batches,
  targets: UnlabelledTargets,
  lambdaU: number,
  labelledTerms: (logits: tf.Tensor2D) => tf.Scalar,
  side: SideValues,
  scaled: (value: tf.Scalar, by: number) => tf.Scalar,
  share: ShardShare,
  forward: (x: tf.Tensor) => tf.Tensor2D,
): () => tf.Scalar {
  const b = rowsOf(batches.x);
  const weak = batches.weak as tf.Tensor5D;
  const rows = rowsOf(weak);
  return () => {
    const logits = forward(tf.concat([batches.x, weak], 0));
    const supervised = labelledTerms(tf.slice(logits, [0, 0], [b, -1]));
    const unlabelledLogits = tf.slice(logits, [b, 0], [-1, -1]);
    const classes = unlabelledLogits.shape[1] ?? 0;
    const positive = tf.tensor1d(targets.labels.map((l) => (l >= 0 ? 1 : 0)), 'float32');
    const labels = tf.tensor1d(targets.labels.map((l) => Math.max(0, l)), 'int32');
    const negativeMask = new Float32Array(rows * classes);
    targets.negatives.forEach((ruledOut, row) => {
      if ((targets.labels[row] ?? -1) < 0) for (const c of ruledOut) if (c >= 0 && c < classes) negativeMask[row * classes + c] = 1;
    });
    const perRow = tf.add(
      tf.mul(crossEntropyPerRow(unlabelledLogits, labels), positive),
      negativeLearningLossPerRow(unlabelledLogits, tf.tensor2d(negativeMask, [rows, classes])),
    );
    const unsupervised = scaled(tf.div<tf.Scalar>(tf.sum(perRow), rows), share.unlabelled);
    side.unsupervised = unsupervised;
    side.maskRate = scaled(tf.mean<tf.Scalar>(positive), share.unlabelled);
    return tf.add<tf.Scalar>(supervised, tf.mul(unsupervised, lambdaU));
  };
}

/**
 * Self-supervised pretraining's loss closure: NT-Xent (SimCLR's, T = 0.5, neither side detached) between the
 * projection head's outputs for each clip and for the same clip at double speed, over the batch's clips, with
 * every clip played backwards as an extra negative (a temporal hard negative: without it, telling clips apart
 * by what they show is enough, and features that ignore motion win).
 */
function pretrainLoss(input: GradientInput, side: SideValues, owned: tf.Tensor[]): () => tf.Scalar {
  const clips = input.labelled.x;
  const fast = input.unlabelledAux ?? null;
  const heads = input.heads ?? NO_HEADS;
  if (heads.projection === 0) throw new Error('pretraining needs a model with a projection head');
  if (fast === null || rowsOf(fast) !== rowsOf(clips)) {
    throw new Error(`pretraining needs a double-speed copy of every clip (${rowsOf(clips)} clips, ${fast === null ? 0 : rowsOf(fast)} copies)`);
  }
  const run = forwardOf(input.model, heads);
  const n = rowsOf(clips);
  const share = (input.share ?? WHOLE_STEP).clips;
  return () => {
    // Each clip played backwards looks the same and moves the other way: as a negative it makes the features see motion.
    const backwards = tf.reverse(clips, 1);
    const projection = run(tf.concat([clips, fast, backwards], 0)).projection as tf.Tensor2D;
    const contrast = ntXentLoss(tf.slice(projection, [0, 0], [n, -1]), tf.slice(projection, [n, 0], [n, -1]), {
      temperature: TCL_TEMPERATURE,
      negatives: tf.slice(projection, [2 * n, 0], [n, -1]),
    });
    const value = tf.mul<tf.Scalar>(contrast, share);
    side.unsupervised = tf.keep(value);
    owned.push(side.unsupervised);
    side.supervised = tf.keep(tf.scalar(0));
    owned.push(side.supervised);
    return tf.clone(value);
  };
}

/** Forward and backward over one batch (a whole step's or one shard's); changes no weight. */
export function computeStepGradients(input: GradientInput): StepGradients {
  const pretraining = input.stage === 'pretrain';
  const lambdaU = pretraining ? 0 : lambdaUAt(input.settings, input.step, input.totalSteps);
  const owned: tf.Tensor[] = [];
  const side: SideValues = {};
  const lossOf = pretraining ? pretrainLoss(input, side, owned) : lossFunction(input, checkedBatches(input), lambdaU, side, owned);
  const variables = input.model.trainableWeights.map((w) => w.read() as tf.Variable);
  let total: tf.Scalar | null = null;
  let named: tf.NamedTensorMap = {};
  try {
    ({ value: total, grads: named } = tf.variableGrads(lossOf, variables));
    const loss = total;
    const numbers = tf.tidy(() => {
      const zero = tf.scalar(0);
      return tf.stack([loss, side.supervised ?? loss, side.unsupervised ?? zero, side.maskRate ?? zero, side.trainAccuracy ?? zero]).dataSync();
    });
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
      weakProbs: side.weakProbs ?? null,
      lambdaU,
    };
  } finally {
    tf.dispose([...owned, ...(total === null ? [] : [total]), ...Object.values(named)]);
  }
}
