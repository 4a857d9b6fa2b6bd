/**
 * Tubes cut from rgb24 frames straight into one Float32Array, with tf.image.cropAndResize's bilinear
 * sampling (as cropTubesFromImages cuts them on the backend). The ONNX Runtime forward pass takes host
 * arrays: cutting there skips uploading every frame as floats, the crop kernel, the read back and the
 * re-interleaving of the middle frame, which together cost more than the model itself.
 */
import { BT601_LUMA } from '../../../imaging/grey.js';
import { boxAt, checkTubeBoxes, type TubeBoxes } from './tube-crop.js';
import type { PixelBox } from './pixel-box.js';

/** Tubes in host memory, laid out [regions, frames, size, size, channels], float32 in 0..1. */
export interface HostTubes {
  data: Float32Array;
  regions: number;
  frames: number;
  size: number;
  channels: number;
}

/** One axis of a crop: for each of `size` samples the two source indices and the weight of the second. */
interface AxisSamples {
  low: Int32Array;
  high: Int32Array;
  lerp: Float64Array;
}

/**
 * cropAndResize's sample positions along one axis of a box given as normalisedBox gives it: `size`
 * samples from the centre of the box's first pixel to the centre of its last, one in the middle when size is 1.
 */
function axisSamples(start: number, length: number, size: number): AxisSamples {
  const low = new Int32Array(size);
  const high = new Int32Array(size);
  const lerp = new Float64Array(size);
  const step = size > 1 ? (length - 1) / (size - 1) : 0;
  for (let i = 0; i < size; i++) {
    const at = size > 1 ? start + i * step : start + (length - 1) / 2;
    const floor = Math.floor(at);
    low[i] = floor;
    high[i] = Math.ceil(at);
    lerp[i] = at - floor;
  }
  return { low, high, lerp };
}

/** One box of one frame, resized to size × size (bilinear, /255), written at `out[at…]`: rgb, or luma when channels is 1. */
function cropInto(rgb: Uint8Array, width: number, box: PixelBox, size: number, channels: number, out: Float32Array, at: number): void {
  const rows = axisSamples(box.y, box.height, size);
  const cols = axisSamples(box.x, box.width, size);
  // Luma weights folded with the /255 scale; rgb is scaled by 1/255 alone.
  const [wr, wg, wb] = channels === 3 ? [1 / 255, 1 / 255, 1 / 255] : BT601_LUMA.map((w) => w / 255);
  let o = at;
  for (let y = 0; y < size; y++) {
    const top = rows.low[y]! * width * 3;
    const bottom = rows.high[y]! * width * 3;
    const wy = rows.lerp[y]!;
    for (let x = 0; x < size; x++) {
      const tl = top + cols.low[x]! * 3;
      const tr = top + cols.high[x]! * 3;
      const bl = bottom + cols.low[x]! * 3;
      const br = bottom + cols.high[x]! * 3;
      const wx = cols.lerp[x]!;
      // The same order of operations as cropAndResize: along x on both rows, then along y.
      const r = bilinear(rgb[tl]!, rgb[tr]!, rgb[bl]!, rgb[br]!, wx, wy) * wr!;
      const g = bilinear(rgb[tl + 1]!, rgb[tr + 1]!, rgb[bl + 1]!, rgb[br + 1]!, wx, wy) * wg!;
      const b = bilinear(rgb[tl + 2]!, rgb[tr + 2]!, rgb[bl + 2]!, rgb[br + 2]!, wx, wy) * wb!;
      if (channels === 3) {
        out[o] = r;
        out[o + 1] = g;
        out[o + 2] = b;
        o += 3;
      } else {
        out[o++] = r + g + b;
      }
    }
  }
}

function bilinear(tl: number, tr: number, bl: number, br: number, wx: number, wy: number): number {
  const upper = tl + (tr - tl) * wx;
  const lower = bl + (br - bl) * wx;
  return upper + (lower - upper) * wy;
}

/**
 * Every tube (a box for every frame, or a path of one box per frame) cut from every frame of the window and
 * resized to size × size: [N, L, S, S, C] in 0..1, rgb for C = 3 and BT.601 luma for C = 1, the values
 * cropTubesFromImages (and WindowFrameTensors.cropSamples) give up to float rounding.
 */
export function cropHostTubes(frames: readonly Uint8Array[], width: number, height: number, tubes: readonly TubeBoxes[], size: number, channels: number): HostTubes {
  if (!Number.isInteger(size) || size < 1) throw new Error(`tube crop: the tube size must be a whole number ≥ 1, got ${size}`);
  if (channels !== 1 && channels !== 3) throw new Error(`tube crop: the model takes ${channels} channels per frame; only 1 (grey) or 3 (rgb) can be cut`);
  const bytes = width * height * 3;
  frames.forEach((frame, t) => {
    if (frame.length !== bytes) throw new Error(`tube crop: frame ${t} has ${frame.length} bytes, ${width}×${height} rgb24 needs ${bytes}`);
  });
  tubes.forEach((tube, n) => checkTubeBoxes(tube, n, frames.length, width, height));
  const plane = size * size * channels;
  const data = new Float32Array(tubes.length * frames.length * plane);
  tubes.forEach((tube, n) => {
    frames.forEach((rgb, t) => cropInto(rgb, width, boxAt(tube, t), size, channels, data, (n * frames.length + t) * plane));
  });
  return { data, regions: tubes.length, frames: frames.length, size, channels };
}

/** Several windows' tubes as one batch, in order. */
export function joinHostTubes(parts: readonly HostTubes[]): HostTubes {
  const first = parts[0];
  if (first === undefined) throw new Error('tube crop: nothing to join');
  if (parts.length === 1) return first;
  const regions = parts.reduce((sum, part) => sum + part.regions, 0);
  const data = new Float32Array(parts.reduce((sum, part) => sum + part.data.length, 0));
  let at = 0;
  for (const part of parts) {
    if (part.frames !== first.frames || part.size !== first.size || part.channels !== first.channels) throw new Error('tube crop: tubes of different shapes cannot share a batch');
    data.set(part.data, at);
    at += part.data.length;
  }
  return { data, regions, frames: first.frames, size: first.size, channels: first.channels };
}

/** The middle frame of each tube [N, S, S, C] (what the teacher sees and the middle-frame task predicts). */
export function middleFrames(tubes: HostTubes): Float32Array {
  const plane = tubes.size * tubes.size * tubes.channels;
  const middle = (tubes.frames - 1) / 2;
  const out = new Float32Array(tubes.regions * plane);
  for (let n = 0; n < tubes.regions; n++) {
    const from = (n * tubes.frames + middle) * plane;
    out.set(tubes.data.subarray(from, from + plane), n * plane);
  }
  return out;
}
