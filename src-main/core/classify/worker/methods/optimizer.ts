import * as tf from '@tensorflow/tfjs';
import type { TrainSettings } from '../../../../shared/training.js';

/** SGD with Nesterov momentum, as FixMatch; the learning rate is set every step (cosine schedule). */
export function createOptimizer(settings: Pick<TrainSettings, 'learningRate' | 'momentum'>): tf.MomentumOptimizer {
  return tf.train.momentum(settings.learningRate, settings.momentum, true);
}

/** The trainable weights weight decay applies to: conv and dense kernels (not biases, not batch norm). */
export function isDecayed(weight: tf.LayerVariable): boolean {
  return weight.trainable && /(^|\/)(kernel|depthwise_kernel|pointwise_kernel)(_\d+)?$/.test(weight.originalName);
}

/** PyTorch SGD's weight decay: grad + wd·w (the gradient of wd/2·‖w‖²), on kernels only. */
export function withWeightDecay(grad: tf.Tensor, weight: tf.Tensor, decay: number): tf.Tensor {
  return decay > 0 ? tf.add(grad, tf.mul(weight, decay)) : grad;
}
