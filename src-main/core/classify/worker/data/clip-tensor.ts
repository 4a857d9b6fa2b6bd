import * as tf from '@tensorflow/tfjs';
import { clipByteLength, type ClipSpec } from '../../clips/clip-spec.js';

/** byte / 255 for every byte value: one table lookup per pixel instead of a division. */
const UNIT = Float32Array.from({ length: 256 }, (_, i) => i / 255);

/**
 * Clips (T·S·S·3 uint8 each, frame-major rgb) as one float32 batch [N, T, S, S, 3] in 0..1.
 * The caller owns (and disposes) the tensor.
 */
export function clipBatchToTensor(clips: readonly Uint8Array[], spec: ClipSpec): tf.Tensor5D {
  const bytes = clipByteLength(spec);
  if (clips.length === 0) throw new Error('clipBatchToTensor: the batch is empty');
  const values = new Float32Array(clips.length * bytes);
  clips.forEach((clip, n) => {
    if (clip.length !== bytes) {
      throw new Error(
        `clipBatchToTensor: clip ${n} has ${clip.length} bytes, the spec ${spec.frames}×${spec.size}×${spec.size}×3 needs ${bytes}`,
      );
    }
    const offset = n * bytes;
    for (let i = 0; i < bytes; i++) values[offset + i] = UNIT[clip[i]!]!;
  });
  return tf.tensor5d(values, [clips.length, spec.frames, spec.size, spec.size, 3], 'float32');
}
