import * as tf from '@tensorflow/tfjs';
import { setMcDropout } from '../../../engine/worker/layers/mc-dropout.js';
import type { Rng } from '../../../engine/random.js';

/**
 * Per clip of a batch, row-major [N, C]: eval-mode probabilities, and MC-dropout mean and std
 * (null with 0 passes); per clip [N]: the BALD mutual information of the passes (null with 0 passes).
 */
export interface BatchProbabilities {
  count: number;
  classes: number;
  probs: Float32Array;
  mcMean: Float32Array | null;
  mcStd: Float32Array | null;
  mutualInfo: Float32Array | null;
  /** Row-major [N, D]: the features before the class layer (null without a feature model). */
  features: Float32Array | null;
  featureDim: number;
}

function softmaxOf(model: tf.LayersModel, x: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => tf.softmax(model.predict(x) as tf.Tensor2D));
}

/** Entropy in nats of each row of [N, C] probabilities, as [N]. */
export function rowEntropy(p: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(p, tf.log(tf.maximum(p, 1e-12))), 1)));
}

/**
 * Probabilities of a batch of clips `[N, T, S, S, 3]`: one deterministic pass (batch norm and dropout
 * in inference mode), then `mcPasses` passes with dropout on (batch norm still on moving statistics),
 * whose softmax outputs give the mean and the (population) standard deviation per class.
 */
export async function batchProbabilities(
  model: tf.LayersModel,
  x: tf.Tensor5D,
  mcPasses: number,
  rng: Rng,
  featureModel: tf.LayersModel | null = null,
): Promise<BatchProbabilities> {
  const deterministic = await deterministicPass(model, featureModel, x);
  const { count, classes } = deterministic;
  if (mcPasses <= 0) return { ...deterministic, mcMean: null, mcStd: null, mutualInfo: null };

  let sum: tf.Tensor = tf.zeros([count, classes]);
  let sumOfSquares: tf.Tensor = tf.zeros([count, classes]);
  let sumOfEntropies: tf.Tensor = tf.zeros([count]);
  setMcDropout(model, true, rng);
  try {
    for (let pass = 0; pass < mcPasses; pass++) {
      const p = softmaxOf(model, x);
      const nextSum = tf.add(sum, p);
      const nextSquares = tf.tidy(() => tf.add(sumOfSquares, tf.square(p)));
      const nextEntropies = tf.tidy(() => tf.add(sumOfEntropies, rowEntropy(p)));
      tf.dispose([p, sum, sumOfSquares, sumOfEntropies]);
      sum = nextSum;
      sumOfSquares = nextSquares;
      sumOfEntropies = nextEntropies;
    }
  } finally {
    setMcDropout(model, false);
  }
  const meanTensor = tf.div(sum, mcPasses);
  // E[p²] − E[p]² can dip below 0 by rounding; so can H(E[p]) − E[H(p)].
  const stdTensor = tf.tidy(() => tf.sqrt(tf.relu(tf.sub(tf.div(sumOfSquares, mcPasses), tf.square(meanTensor)))));
  const mutualInfoTensor = tf.tidy(() => tf.relu(tf.sub(rowEntropy(meanTensor), tf.div(sumOfEntropies, mcPasses))));
  tf.dispose([sum, sumOfSquares, sumOfEntropies]);
  const mcMean = (await meanTensor.data()) as Float32Array;
  const mcStd = (await stdTensor.data()) as Float32Array;
  const mutualInfo = (await mutualInfoTensor.data()) as Float32Array;
  tf.dispose([meanTensor, stdTensor, mutualInfoTensor]);
  return { ...deterministic, mcMean, mcStd, mutualInfo };
}

/** The eval-mode pass: probabilities, and the penultimate features when a feature model ([features, logits]) is given. */
async function deterministicPass(
  model: tf.LayersModel,
  featureModel: tf.LayersModel | null,
  x: tf.Tensor5D,
): Promise<{ count: number; classes: number; probs: Float32Array; features: Float32Array | null; featureDim: number }> {
  if (featureModel === null) {
    const probsTensor = softmaxOf(model, x);
    const [count, classes] = probsTensor.shape;
    try {
      return { count, classes, probs: (await probsTensor.data()) as Float32Array, features: null, featureDim: 0 };
    } finally {
      probsTensor.dispose();
    }
  }
  const [featuresTensor, probsTensor] = tf.tidy(() => {
    const [f, logits] = featureModel.predict(x) as [tf.Tensor2D, tf.Tensor2D];
    return [f, tf.softmax(logits)];
  });
  try {
    const [count, classes] = probsTensor.shape;
    const probs = (await probsTensor.data()) as Float32Array;
    const features = (await featuresTensor.data()) as Float32Array;
    return { count, classes, probs, features, featureDim: featuresTensor.shape[1] };
  } finally {
    tf.dispose([featuresTensor, probsTensor]);
  }
}

/** Row i of a row-major [N, C] array as plain numbers (rounded to float32 precision on the way). */
export function rowOf(values: Float32Array | null, i: number, classes: number): number[] {
  return values === null ? [] : Array.from(values.subarray(i * classes, (i + 1) * classes));
}
