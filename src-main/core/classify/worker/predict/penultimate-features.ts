/**
 * The classifier's features before its class layer (the pooled clip features the dropout and the logits
 * read): what diversity-aware acquisition (BADGE) compares clips by.
 */
import * as tf from '@tensorflow/tfjs';

/** The layer the class logits read through; its input is the penultimate features. */
const FEATURES_READER = 'dropout';

/**
 * The same model with two outputs, [features, logits] (sharing its layers and weights: never dispose it,
 * dispose `model`); null when the model has no such layer (one not built by this app).
 */
export function featureModelOf(model: tf.LayersModel): tf.LayersModel | null {
  const reader = model.layers.find((l) => l.name === FEATURES_READER);
  if (reader === undefined) return null;
  const features = reader.input;
  const logits = model.outputs[0];
  if (Array.isArray(features) || logits === undefined || features.shape.length !== 2) return null;
  return tf.model({ inputs: model.inputs, outputs: [features, logits], name: `${model.name}_features` });
}
