/**
 * Batch normalisation over the last axis whose training-mode gradient is one closed-form step:
 * tfjs's BatchNormalization layer differentiates moments + FusedBatchNorm op by op, and the FusedBatchNorm
 * gradient tiles [C] up to the full activation shape, which on wasm took ~40 % of a training step.
 * Weights and config match tf.layers.batchNormalization (axis −1), and saveModel writes the layer as a
 * plain `BatchNormalization`, so an exported model needs no extra class for it.
 */
import * as tf from '@tensorflow/tfjs';

export interface FastBatchNormConfig {
  name?: string;
  momentum?: number;
  epsilon?: number;
}

/**
 * Per-channel sums over every axis but the last. On wasm, Sum over leading axes first transposes the
 * channels to the front; Xᵀ·1, the [M, C] view of x times a column of ones (XNNPACK's matrix kernels), is the
 * same sum 2–3× faster (measured on [288, 32, 32, 16]: 9–13 ms against 20–22 ms; ones·X would be slower
 * still, as XNNPACK packs its right-hand side afresh for every new x). Other backends keep Sum.
 */
function channelSums(x: tf.Tensor): tf.Tensor1D {
  const channels = x.shape[x.rank - 1] ?? 1;
  if (tf.getBackend() !== 'wasm') return tf.sum<tf.Tensor1D>(x, x.shape.slice(0, -1).map((_, i) => i));
  const rows = x.size / channels;
  return tf.reshape<tf.Rank.R1>(tf.matMul(tf.reshape(x, [rows, channels]), tf.fill([rows, 1], 1), true, false), [channels]);
}

/** y = γ·(x − mean)/√(var + ε) + β with batch statistics over every axis but the last; returns y, mean, var. */
function trainingNormalize(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): [tf.Tensor, tf.Tensor1D, tf.Tensor1D] {
  const count = x.size / (x.shape[x.rank - 1] ?? 1);
  let stats: [tf.Tensor1D, tf.Tensor1D] | null = null;
  const op = tf.customGrad(((input: tf.Tensor, g: tf.Tensor1D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const mean = tf.div<tf.Tensor1D>(channelSums(input), count);
    const centred = tf.sub(input, mean);
    const variance = tf.div<tf.Tensor1D>(channelSums(tf.square(centred)), count);
    const invStd = tf.rsqrt(tf.add(variance, epsilon));
    const normed = tf.mul(centred, invStd);
    stats = [tf.keep(mean), tf.keep(variance)];
    const scaleOverStd = tf.mul(g, invStd);
    save([normed, scaleOverStd]);
    return {
      value: tf.add(tf.mul(normed, g), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xHat, k] = saved as [tf.Tensor, tf.Tensor1D];
        const dBeta = channelSums(dy);
        const dGamma = channelSums(tf.mul(dy, xHat));
        // dx = k·(dy − mean(dy) − x̂·mean(dy·x̂)), k = γ/√(var + ε)
        const perChannel = tf.div(k, count);
        const dx = tf.sub(tf.mul(dy, k), tf.add(tf.mul(dBeta, perChannel), tf.mul(xHat, tf.mul(dGamma, perChannel))));
        return [dx, dGamma, dBeta];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const y = op(x, gamma, beta);
  const [mean, variance] = stats as unknown as [tf.Tensor1D, tf.Tensor1D];
  return [y, mean, variance];
}

export class FastBatchNorm extends tf.layers.Layer {
  static readonly className = 'VsslFastBatchNorm';
  readonly momentum: number;
  readonly epsilon: number;
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;
  private movingMean: tf.LayerVariable | null = null;
  private movingVariance: tf.LayerVariable | null = null;

  constructor(config: FastBatchNormConfig & tf.serialization.ConfigDict) {
    super(config);
    this.momentum = typeof config.momentum === 'number' ? config.momentum : 0.99;
    this.epsilon = typeof config.epsilon === 'number' ? config.epsilon : 1e-3;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (typeof channels !== 'number') throw new Error(`${this.name}: the channel axis must have a known size`);
    this.gamma = this.addWeight('gamma', [channels], 'float32', tf.initializers.ones(), undefined, true);
    this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros(), undefined, true);
    this.movingMean = this.addWeight('moving_mean', [channels], 'float32', tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [channels], 'float32', tf.initializers.ones(), undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const { gamma, beta, movingMean, movingVariance } = this;
    if (x === undefined || gamma === null || beta === null || movingMean === null || movingVariance === null) {
      throw new Error(`${this.name}: called before build`);
    }
    const g = gamma.read() as tf.Tensor1D;
    const b = beta.read() as tf.Tensor1D;
    if (kwargs['training'] !== true) {
      return tf.batchNorm(x, movingMean.read(), movingVariance.read(), b, g, this.epsilon);
    }
    const [y, mean, variance] = trainingNormalize(x, g, b, this.epsilon);
    tf.tidy(() => {
      const keep = this.momentum;
      movingMean.write(tf.add(tf.mul(movingMean.read(), keep), tf.mul(mean, 1 - keep)));
      movingVariance.write(tf.add(tf.mul(movingVariance.read(), keep), tf.mul(variance, 1 - keep)));
    });
    tf.dispose([mean, variance]);
    return y;
  }

  /** The same keys as tf.layers.batchNormalization, so the topology can be saved as a plain BatchNormalization. */
  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      axis: -1,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: true,
      scale: true,
      betaInitializer: { className: 'Zeros', config: {} },
      gammaInitializer: { className: 'Ones', config: {} },
      movingMeanInitializer: { className: 'Zeros', config: {} },
      movingVarianceInitializer: { className: 'Ones', config: {} },
      betaRegularizer: null,
      gammaRegularizer: null,
      betaConstraint: null,
      gammaConstraint: null,
    };
  }
}

tf.serialization.registerClass(FastBatchNorm);
