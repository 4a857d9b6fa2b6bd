/**
 * Where a run keeps its model, and what a saved model folder holds (TF.js layers format). Plain names,
 * no TensorFlow.js: the main thread checks folders and builds paths with them.
 */

/** A run's trained model, inside the run's folder. */
export const MODEL_DIR = 'model';
/** The model's topology and weights manifest. */
export const MODEL_JSON = 'model.json';
/** The model's weights, one file. */
export const WEIGHTS_BIN = 'weights.bin';
