/**
 * An exponential moving average of the model's weights, used to evaluate and to export (FixMatch
 * evaluates the EMA model). Trainable weights are averaged; batch-norm moving statistics are copied,
 * as the PyTorch reference implementations do. Decay warms up as min(decay, (1+t)/(10+t)): runs here
 * are short, and a fixed 0.999 would keep the random initial weights for the first thousand steps.
 */
import * as tf from '@tensorflow/tfjs';

export class EmaWeights {
  private shadow: tf.Tensor[];
  private live: tf.Tensor[] | null = null;
  private count = 0;

  constructor(
    model: tf.LayersModel,
    readonly decay: number,
  ) {
    if (!(decay >= 0 && decay < 1)) throw new Error(`EMA decay must be in [0, 1), got ${decay}`);
    this.shadow = model.weights.map((w) => tf.clone(w.read()));
  }

  /** Updates done so far (t). */
  get updates(): number {
    return this.count;
  }

  /** The decay the next update uses. */
  currentDecay(): number {
    return Math.min(this.decay, (1 + this.count) / (10 + this.count));
  }

  private checkModel(model: tf.LayersModel): void {
    if (model.weights.length !== this.shadow.length) {
      throw new Error(`EMA holds ${this.shadow.length} weights but the model has ${model.weights.length}`);
    }
  }

  /** `decay`: this update's own, instead of the warmed-up one (SVT's teacher follows its cosine schedule). */
  update(model: tf.LayersModel, decay?: number): void {
    this.checkModel(model);
    if (this.live !== null) throw new Error('EMA update while the EMA weights are applied to the model');
    if (decay !== undefined && !(decay >= 0 && decay <= 1)) throw new Error(`EMA decay must be in [0, 1], got ${decay}`);
    const d = decay ?? this.currentDecay();
    const next = tf.tidy(() =>
      model.weights.map((w, i) => {
        const value = w.read();
        const old = this.shadow[i] as tf.Tensor;
        return w.trainable ? tf.add(tf.mul(old, d), tf.mul(value, 1 - d)) : tf.clone(value);
      }),
    );
    tf.dispose(this.shadow);
    this.shadow = next;
    this.count++;
  }

  /** Puts the EMA weights into the model, keeping the live ones for restore(). */
  apply(model: tf.LayersModel): void {
    this.checkModel(model);
    if (this.live !== null) throw new Error('EMA weights are already applied');
    this.live = model.weights.map((w) => tf.clone(w.read()));
    model.weights.forEach((w, i) => w.write(this.shadow[i] as tf.Tensor));
  }

  /** Puts the live (trained) weights back. */
  restore(model: tf.LayersModel): void {
    const live = this.live;
    if (live === null) throw new Error('EMA restore without apply');
    model.weights.forEach((w, i) => w.write(live[i] as tf.Tensor));
    tf.dispose(live);
    this.live = null;
  }

  /** Runs fn with the EMA weights in the model and restores the live ones afterwards, even on error. */
  async withEma<T>(model: tf.LayersModel, fn: () => T | Promise<T>): Promise<T> {
    this.apply(model);
    try {
      return await fn();
    } finally {
      this.restore(model);
    }
  }

  /** The averaged weights in model.weights order, for checkpoints (owned by this object: do not dispose). */
  tensors(): readonly tf.Tensor[] {
    return this.shadow;
  }

  /** Replaces the averaged weights (copies them) and the update count, when resuming from a checkpoint. */
  load(tensors: readonly tf.Tensor[], updates: number): void {
    if (tensors.length !== this.shadow.length) {
      throw new Error(`EMA checkpoint has ${tensors.length} weights, the model ${this.shadow.length}`);
    }
    tensors.forEach((t, i) => {
      const shape = (this.shadow[i] as tf.Tensor).shape;
      if (!tf.util.arraysEqual(t.shape, shape)) {
        throw new Error(`EMA checkpoint weight ${i} has shape [${t.shape.join(', ')}], the model [${shape.join(', ')}]`);
      }
    });
    const next = tensors.map((t) => tf.clone(t));
    tf.dispose(this.shadow);
    this.shadow = next;
    this.count = updates;
  }

  dispose(): void {
    tf.dispose(this.shadow);
    this.shadow = [];
    if (this.live !== null) tf.dispose(this.live);
    this.live = null;
  }
}
