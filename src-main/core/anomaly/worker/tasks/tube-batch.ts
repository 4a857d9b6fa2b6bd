import * as tf from '@tensorflow/tfjs';

/** Frames in a tube: i−3..i+3 around the frame i it scores. */
export const TUBE_FRAMES = 7;
/** Frames a task input has: the tube without its middle frame. */
export const INPUT_FRAMES = TUBE_FRAMES - 1;

/** The dimensions of a batch of source tubes `[N, L, S, S, C]` (L odd, the middle frame at (L − 1) / 2). */
export interface TubeBatchShape {
  tubes: number;
  frames: number;
  size: number;
  channels: number;
  /** Index of the middle frame: the frame the tube is about. */
  middle: number;
}

/** Checks a float32 batch of square tubes with an odd number (≥ `minFrames`) of frames; returns its dimensions. */
export function tubeBatchShape(x: tf.Tensor, minFrames: number): TubeBatchShape {
  const shape = `[${x.shape.join(', ')}]`;
  if (x.rank !== 5) throw new Error(`task samples: expected tubes [N, L, S, S, C], got a rank ${x.rank} tensor ${shape}`);
  if (x.dtype !== 'float32') throw new Error(`task samples: expected float32 tubes, got ${x.dtype}`);
  const [tubes, frames, height, width, channels] = x.shape as [number, number, number, number, number];
  if (tubes < 1) throw new Error(`task samples: the batch ${shape} has no tubes`);
  if (height !== width) throw new Error(`task samples: tubes must be square, got ${height}×${width} in ${shape}`);
  if (frames % 2 === 0) throw new Error(`task samples: a tube needs an odd frame count so its middle frame is defined, got ${frames}`);
  if (frames < minFrames) throw new Error(`task samples: tubes of ${frames} frames are too short, these samples need at least ${minFrames}`);
  return { tubes, frames, size: height, channels, middle: (frames - 1) / 2 };
}

/**
 * Picks frames per tube: row n of `offsets` lists, for tube n, frame indices relative to its middle frame;
 * all rows the same length K. Returns `[N, K, S, S, C]`; one gather, exact copies.
 */
export function gatherFrames(x: tf.Tensor5D, shape: TubeBatchShape, offsets: readonly (readonly number[])[]): tf.Tensor5D {
  if (offsets.length !== shape.tubes) throw new Error(`task samples: ${offsets.length} frame lists for ${shape.tubes} tubes`);
  const picked = offsets[0]?.length ?? 0;
  const flat = new Int32Array(shape.tubes * picked);
  offsets.forEach((row, n) => {
    if (row.length !== picked) throw new Error(`task samples: tube ${n} picks ${row.length} frames, tube 0 picks ${picked}`);
    row.forEach((offset, k) => {
      const t = shape.middle + offset;
      if (!Number.isInteger(t) || t < 0 || t >= shape.frames) {
        throw new Error(`task samples: tube ${n} asks for frame ${offset} from the middle, outside its ${shape.frames} frames`);
      }
      flat[n * picked + k] = n * shape.frames + t;
    });
  });
  return tf.tidy(() => {
    const frames = x.reshape([shape.tubes * shape.frames, shape.size, shape.size, shape.channels]);
    const out = tf.gather(frames, tf.tensor1d(flat, 'int32'));
    return out.reshape([shape.tubes, picked, shape.size, shape.size, shape.channels]);
  });
}

/** The tube's frames i−3..i+3 as offsets, with or without the middle one. */
export const CONSECUTIVE_OFFSETS: readonly number[] = [-3, -2, -1, 0, 1, 2, 3];
export const INPUT_OFFSETS: readonly number[] = [-3, -2, -1, 1, 2, 3];
