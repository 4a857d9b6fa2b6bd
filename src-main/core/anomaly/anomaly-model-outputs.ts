/**
 * Layer names of the SSMTL model's outputs, in the order `model.outputs` lists them. Plain constants,
 * no TensorFlow.js: the ONNX export (main thread) finds the heads by these names.
 */
export const ANOMALY_OUTPUTS = {
  arrow: 'arrow_logits',
  irregular: 'irregular_logits',
  middle: 'middle_frame',
  teacher: 'teacher_features',
} as const;
