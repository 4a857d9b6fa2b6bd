/**
 * A computation the loss depends on but must not pull on (pseudo-labels, masks, argmax groupings), run as one
 * op with a zero gradient. Its inner ops are not recorded for backprop, so ops that have no gradient in tfjs
 * (comparisons, logical ops) can feed a loss inside `tf.variableGrads` without a read back to JavaScript.
 */
import * as tf from '@tensorflow/tfjs';

type Computation<T extends tf.Tensor> = (...inputs: tf.Tensor[]) => T;

export function withoutGradient<T extends tf.Tensor>(compute: Computation<T>, ...inputs: tf.Tensor[]): T {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args.slice(0, inputs.length) as tf.Tensor[];
    return { value: compute(...xs), gradFunc: () => xs.map((x) => tf.zerosLike(x)) };
  });
  return op(...inputs);
}
