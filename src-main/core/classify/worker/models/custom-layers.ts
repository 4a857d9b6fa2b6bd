/**
 * The custom layer classes our models use, all registered with tf.serialization on import. Code outside
 * the app that loads an exported model.json must register classes with these names first:
 * - VsslFoldTime: reshape [N, T, ...rest] → [N·T, ...rest] (no weights)
 * - VsslUnfoldTime {frames}: reshape [N·T, ...rest] → [N, T, ...rest] (no weights)
 * - VsslMcDropout {rate}: dropout while training, identity at inference (no weights)
 */
export { FoldTime, UnfoldTime } from '../../../engine/worker/layers/time-fold-layers.js';
export { McDropout, setMcDropout, setDropoutRng } from '../../../engine/worker/layers/mc-dropout.js';

export const CUSTOM_LAYER_CLASS_NAMES = ['VsslFoldTime', 'VsslUnfoldTime', 'VsslMcDropout'] as const;
