/**
 * Reshapes between clips and frames so that every convolution and batch norm runs on rank-4 tensors:
 * the wasm backend has fast conv2d but no fast conv3d, and tf.layers.batchNormalization rejects rank 5.
 * Both layers are registered for serialisation; code outside the app that loads an exported model must
 * define and register classes with the same names and behaviour (see CUSTOM_LAYER_CLASS_NAMES).
 */
import * as tf from '@tensorflow/tfjs';

type Shape = (number | null)[];

function inputShapeOf(inputShape: tf.Shape | tf.Shape[]): Shape {
  const shape = Array.isArray(inputShape[0]) ? (inputShape as tf.Shape[])[0] : (inputShape as tf.Shape);
  if (shape === undefined) throw new Error('time fold layer: missing input shape');
  return shape;
}

function oneInput(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  const input = Array.isArray(inputs) ? inputs[0] : inputs;
  if (input === undefined) throw new Error('time fold layer: missing input');
  return input;
}

/** [N, T, ...rest] → [N·T, ...rest]: frames become batch entries. */
export class FoldTime extends tf.layers.Layer {
  static readonly className = 'VsslFoldTime';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n = null, t = null, ...rest] = inputShapeOf(inputShape);
    return [n !== null && t !== null ? n * t : null, ...rest];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = oneInput(inputs);
    if (x.rank < 3) throw new Error(`FoldTime needs [N, T, ...], got shape [${x.shape.join(', ')}]`);
    const [, , ...rest] = x.shape;
    return tf.reshape(x, [-1, ...rest]);
  }
}

/** [N·T, ...rest] → [N, T, ...rest], T fixed by the config. */
export class UnfoldTime extends tf.layers.Layer {
  static readonly className = 'VsslUnfoldTime';
  readonly frames: number;

  constructor(config: tf.serialization.ConfigDict & { frames?: number; name?: string }) {
    super(config);
    const frames = config.frames;
    if (typeof frames !== 'number' || !Number.isInteger(frames) || frames < 1) {
      throw new Error(`UnfoldTime needs an integer frames ≥ 1, got ${String(frames)}`);
    }
    this.frames = frames;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [nt = null, ...rest] = inputShapeOf(inputShape);
    return [nt === null ? null : nt / this.frames, this.frames, ...rest];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = oneInput(inputs);
    const [nt = 0, ...rest] = x.shape;
    if (nt % this.frames !== 0) {
      throw new Error(`UnfoldTime: batch ${nt} is not a multiple of ${this.frames} frames`);
    }
    return tf.reshape(x, [-1, this.frames, ...rest]);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), frames: this.frames };
  }
}

tf.serialization.registerClass(FoldTime);
tf.serialization.registerClass(UnfoldTime);
