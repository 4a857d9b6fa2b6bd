/**
 * One SSMTL optimisation step: L = L1_mid + CE_time + CE_irreg (+ 0.5·L1_kd with a teacher target),
 * Adam. The three tasks' inputs share one encoder pass; each head reads only its own task's rows.
 */
import * as tf from '@tensorflow/tfjs';
import { accuracy, crossEntropy } from '../../../engine/worker/losses.js';
import type { ClassSamples, MiddleFrameSamples } from '../tasks/task-samples.js';
import { encode, hasHead, runHead } from './anomaly-forward.js';

/** METHODS.md: the distillation term's weight. */
export const DISTILLATION_WEIGHT = 0.5;
export const ANOMALY_LEARNING_RATE = 1e-3;

export function createAnomalyOptimizer(learningRate = ANOMALY_LEARNING_RATE): tf.AdamOptimizer {
  if (!(learningRate > 0 && Number.isFinite(learningRate))) throw new Error(`learning rate must be a number > 0, got ${learningRate}`);
  return tf.train.adam(learningRate);
}

/** One batch per task, as `buildTaskSamples` makes them (a TaskSamples fits). */
export interface AnomalyTaskBatch {
  arrow: ClassSamples;
  irregularity: ClassSamples;
  middle: MiddleFrameSamples;
}

/**
 * The share of each task's samples a part of a step holds (1 each for a whole step): each task's mean loss,
 * and the numbers read back, are weighted by it, so the parts' gradients and numbers add up to the step's.
 */
export interface TaskShare {
  arrow: number;
  irregularity: number;
  middle: number;
}

export const WHOLE_STEP: TaskShare = { arrow: 1, irregularity: 1, middle: 1 };

export interface AnomalyGradientInput {
  model: tf.LayersModel;
  samples: AnomalyTaskBatch;
  /** The teacher's features of each middle-frame sample [N_mid, teacherDim]; needs a model with a teacher head. */
  teacherTarget?: tf.Tensor2D | null;
  /** When this batch is a part of a step split across threads or micro-batches (default: the whole step). */
  share?: TaskShare;
}

export interface AnomalyTrainStepInput extends AnomalyGradientInput {
  optimizer: tf.Optimizer;
}

export interface AnomalyTrainStepResult {
  /** The total L that was minimised. */
  loss: number;
  middleFrameLoss: number;
  arrowLoss: number;
  irregularLoss: number;
  /** L1 to the teacher (before its 0.5 weight); null without a teacher target. */
  teacherLoss: number | null;
  arrowAccuracy: number;
  irregularAccuracy: number;
}

function rows(t: tf.Tensor): number {
  return t.shape[0] ?? 0;
}

function shapeText(t: tf.Tensor | tf.SymbolicTensor): string {
  return `[${t.shape.map((d) => d ?? 'N').join(', ')}]`;
}

function checkInput(model: tf.LayersModel, what: string, x: tf.Tensor): void {
  const expected = model.inputs[0]?.shape ?? [];
  if (x.rank !== expected.length || expected.some((d, i) => i > 0 && d !== x.shape[i])) {
    throw new Error(`${what}: the model takes ${shapeText(model.inputs[0] as tf.SymbolicTensor)}, got ${shapeText(x)}`);
  }
  if (rows(x) === 0) throw new Error(`${what}: the batch is empty`);
}

function checkLabels(what: string, samples: ClassSamples): void {
  if (rows(samples.labels) !== rows(samples.input)) {
    throw new Error(`${what}: ${rows(samples.input)} inputs but ${rows(samples.labels)} labels`);
  }
}

function checkBatch(input: AnomalyGradientInput): void {
  const { model, samples } = input;
  checkInput(model, 'arrow of time', samples.arrow.input);
  checkLabels('arrow of time', samples.arrow);
  checkInput(model, 'motion irregularity', samples.irregularity.input);
  checkLabels('motion irregularity', samples.irregularity);
  checkInput(model, 'middle frame', samples.middle.input);
  const target = samples.middle.target;
  const middleShape = model.getLayer('middle_frame').outputShape as (number | null)[];
  if (target.rank !== 4 || rows(target) !== rows(samples.middle.input) || middleShape.some((d, i) => i > 0 && d !== target.shape[i])) {
    throw new Error(`middle frame: the target must be [${rows(samples.middle.input)}, ${middleShape.slice(1).join(', ')}], got ${shapeText(target)}`);
  }
  const teacher = input.teacherTarget ?? null;
  if (teacher === null) return;
  if (!hasHead(model, 'teacher')) throw new Error('a teacher target was given but the model has no distillation head (teacherDim 0)');
  const dim = (model.getLayer('teacher_features').outputShape as (number | null)[])[1];
  if (teacher.rank !== 2 || rows(teacher) !== rows(samples.middle.input) || teacher.shape[1] !== dim) {
    throw new Error(`teacher target must be [${rows(samples.middle.input)}, ${String(dim)}] (one row per middle-frame sample), got ${shapeText(teacher)}`);
  }
}

interface SideValues {
  middle?: tf.Scalar;
  arrow?: tf.Scalar;
  irregular?: tf.Scalar;
  teacher?: tf.Scalar;
  arrowAccuracy?: tf.Scalar;
  irregularAccuracy?: tf.Scalar;
}

function lossFunction(input: AnomalyGradientInput, side: SideValues, owned: tf.Tensor[]): () => tf.Scalar {
  const { model, samples } = input;
  const teacher = input.teacherTarget ?? null;
  const keep = <T extends tf.Tensor>(t: T): T => {
    owned.push(tf.keep(t));
    return t;
  };
  const nArrow = rows(samples.arrow.input);
  const nIrregular = rows(samples.irregularity.input);
  const nMiddle = rows(samples.middle.input);
  const share = input.share ?? WHOLE_STEP;
  const weighted = (value: tf.Scalar, weight: number): tf.Scalar => (weight === 1 ? value : tf.mul(value, weight));
  return () => {
    const code = encode(model, tf.concat([samples.arrow.input, samples.irregularity.input, samples.middle.input], 0), true);
    const [arrowCode, irregularCode, middleCode] = tf.split(code, [nArrow, nIrregular, nMiddle], 0) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const arrowLogits = runHead(model, 'arrow', arrowCode, true) as tf.Tensor2D;
    const irregularLogits = runHead(model, 'irregular', irregularCode, true) as tf.Tensor2D;
    const predicted = runHead(model, 'middle', middleCode, true);
    side.arrow = keep(weighted(crossEntropy(arrowLogits, samples.arrow.labels), share.arrow));
    side.irregular = keep(weighted(crossEntropy(irregularLogits, samples.irregularity.labels), share.irregularity));
    side.middle = keep(weighted(tf.mean<tf.Scalar>(tf.abs(tf.sub(predicted, samples.middle.target))), share.middle));
    side.arrowAccuracy = keep(weighted(accuracy(arrowLogits, samples.arrow.labels), share.arrow));
    side.irregularAccuracy = keep(weighted(accuracy(irregularLogits, samples.irregularity.labels), share.irregularity));
    let total = tf.addN<tf.Scalar>([side.middle, side.arrow, side.irregular]);
    if (teacher !== null) {
      side.teacher = keep(weighted(tf.mean<tf.Scalar>(tf.abs(tf.sub(runHead(model, 'teacher', middleCode, true), teacher))), share.middle));
      total = tf.add(total, tf.mul(side.teacher, DISTILLATION_WEIGHT));
    }
    return total;
  };
}

interface UnreadStep {
  /** Every trainable weight's gradient, in the model's order. */
  grads: { name: string; tensor: tf.Tensor }[];
  /** The step's numbers in AnomalyTrainStepResult's order, on the backend. */
  numbers: tf.Tensor1D;
  hasTeacher: boolean;
}

/** Forward and backward over one batch, reading nothing back; the caller disposes what it returns. */
function computeStep(input: AnomalyGradientInput): UnreadStep {
  checkBatch(input);
  const owned: tf.Tensor[] = [];
  const side: SideValues = {};
  const variables = input.model.trainableWeights.map((w) => w.read() as tf.Variable);
  let total: tf.Scalar | null = null;
  let grads: tf.NamedTensorMap = {};
  try {
    ({ value: total, grads } = tf.variableGrads(lossFunction(input, side, owned), variables));
    const loss = total;
    const numbers = tf.tidy(() => {
      const none = tf.scalar(NaN);
      return tf.stack([loss, side.middle ?? none, side.arrow ?? none, side.irregular ?? none, side.teacher ?? none, side.arrowAccuracy ?? none, side.irregularAccuracy ?? none]) as tf.Tensor1D;
    });
    const computed = grads;
    grads = {};
    // Adam keeps its moments by position in the list it is given: every step lists every variable in the
    // same order (zeros for the distillation head on a step without a teacher target), or a step without
    // one would pair moments with the wrong variables.
    const ordered = variables.map((v) => ({ name: v.name, tensor: computed[v.name] ?? tf.zerosLike(v) }));
    return { grads: ordered, numbers, hasTeacher: side.teacher !== undefined };
  } finally {
    tf.dispose([...owned, ...(total === null ? [] : [total]), ...Object.values(grads)]);
  }
}

/** Reads the step's numbers (asynchronously: a GPU backend such as webgpu cannot read back synchronously in Node) and disposes them. */
async function readStep(numbers: tf.Tensor1D, hasTeacher: boolean): Promise<AnomalyTrainStepResult> {
  let values: Float32Array | Int32Array | Uint8Array;
  try {
    values = await numbers.data();
  } finally {
    numbers.dispose();
  }
  const at = (i: number) => values[i] ?? NaN;
  return {
    loss: at(0),
    middleFrameLoss: at(1),
    arrowLoss: at(2),
    irregularLoss: at(3),
    teacherLoss: hasTeacher ? at(4) : null,
    arrowAccuracy: at(5),
    irregularAccuracy: at(6),
  };
}

/** Every trainable weight's gradient, in the model's order, and the step's losses. The caller disposes the gradients. */
export interface AnomalyStepGradients {
  grads: { name: string; tensor: tf.Tensor }[];
  result: AnomalyTrainStepResult;
}

/** Forward and backward over one batch; changes no weight. */
export async function anomalyStepGradients(input: AnomalyGradientInput): Promise<AnomalyStepGradients> {
  const { grads, numbers, hasTeacher } = computeStep(input);
  try {
    return { grads, result: await readStep(numbers, hasTeacher) };
  } catch (error) {
    tf.dispose(grads.map((g) => g.tensor));
    throw error;
  }
}

/**
 * Runs one step (forward, backward, Adam update) and returns its losses; disposes everything it creates.
 * The losses are read after the update, so the step's whole GPU work is submitted before it returns.
 */
export async function anomalyTrainStep(input: AnomalyTrainStepInput): Promise<AnomalyTrainStepResult> {
  const { grads, numbers, hasTeacher } = computeStep(input);
  try {
    input.optimizer.applyGradients(grads);
  } catch (error) {
    numbers.dispose();
    throw error;
  } finally {
    tf.dispose(grads.map((g) => g.tensor));
  }
  return readStep(numbers, hasTeacher);
}
