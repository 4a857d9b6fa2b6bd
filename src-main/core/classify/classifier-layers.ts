/**
 * Layer names of the classifier that code outside the worker relies on (the ONNX export finds the
 * class logits by name). Plain constants, no TensorFlow.js.
 */

/** The Dense layer whose output is the class logits; Softmax of it is the class probabilities. */
export const LOGITS_LAYER = 'logits';
