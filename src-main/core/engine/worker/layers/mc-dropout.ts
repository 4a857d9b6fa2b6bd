/**
 * Dropout that can stay on at inference (MC-dropout) while batch norm keeps using its moving statistics.
 * Registered for serialisation as `VsslMcDropout`; a saved model always loads with MC mode off.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../random.js';

export class McDropout extends tf.layers.Layer {
  static readonly className = 'VsslMcDropout';
  readonly rate: number;
  /** Apply dropout at inference too (MC-dropout). Not serialised. */
  mcActive = false;
  /** Draws a seed per call when set, so a seeded run drops the same units. */
  rng: Rng | null = null;

  constructor(config: tf.serialization.ConfigDict & { rate?: number; name?: string }) {
    super(config);
    const rate = config.rate;
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw new Error(`McDropout needs a rate in [0, 1), got ${String(rate)}`);
    }
    this.rate = rate;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (x === undefined) throw new Error('McDropout: missing input');
    const training = kwargs['training'] === true;
    if (this.rate === 0 || !(training || this.mcActive)) return tf.clone(x);
    return tf.dropout(x, this.rate, undefined, this.rng?.seed());
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}

tf.serialization.registerClass(McDropout);

function mcDropoutLayers(model: tf.LayersModel): McDropout[] {
  return model.layers.filter((layer): layer is McDropout => layer instanceof McDropout);
}

/**
 * Turns MC-dropout on or off for every McDropout layer of the model. With it on, `model.predict` (inference:
 * batch norm on moving statistics) samples a different dropout mask each pass; `rng` seeds those masks.
 */
export function setMcDropout(model: tf.LayersModel, active: boolean, rng: Rng | null = null): void {
  const layers = mcDropoutLayers(model);
  if (active && layers.length === 0) throw new Error(`model ${model.name} has no McDropout layer for MC-dropout`);
  for (const layer of layers) {
    layer.mcActive = active;
    layer.rng = rng;
  }
}

/** Seeds the dropout masks of training steps too (null: tfjs's own random seeds). */
export function setDropoutRng(model: tf.LayersModel, rng: Rng | null): void {
  for (const layer of mcDropoutLayers(model)) layer.rng = rng;
}
