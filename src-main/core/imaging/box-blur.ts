import { floatImage, type FloatImage } from './float-image.js';

/** Column sums, reused across calls: this runs several times per frame pair, and allocating is most of its cost. */
let scratch = new Float64Array(0);

/**
 * Mean over a `size`×`size` window (odd size) of every channel, edges replicated, into `out`
 * (a new image by default); running sums make it cost the same for any window.
 */
export function boxBlur(image: FloatImage, size: number, out?: FloatImage): FloatImage {
  if (!Number.isInteger(size) || size < 1 || size % 2 === 0) throw new Error(`boxBlur: size must be odd and ≥ 1, got ${size}`);
  const { width, height, channels: c, data } = image;
  const target = out ?? floatImage(width, height, c);
  if (target.data.length !== data.length) throw new Error('boxBlur: the output does not match the input size');
  const r = (size - 1) / 2;
  const stride = width * c;
  const columns = scratch.length >= (height + 1) * stride ? scratch : (scratch = new Float64Array((height + 1) * stride));
  const sum = height * stride; // the running sum lives after the rows
  const rowAt = (y: number) => (y < 0 ? 0 : y >= height ? height - 1 : y) * stride;
  columns.fill(0, sum, sum + stride);
  for (let k = -r; k <= r; k++) {
    const row = rowAt(k);
    for (let i = 0; i < stride; i++) columns[sum + i]! += data[row + i]!;
  }
  for (let y = 0; y < height; y++) {
    const add = rowAt(y + r + 1);
    const drop = rowAt(y - r);
    const dst = y * stride;
    for (let i = 0; i < stride; i++) {
      const s = columns[sum + i]!;
      columns[dst + i] = s;
      columns[sum + i] = s + data[add + i]! - data[drop + i]!;
    }
  }
  // Offsets of the columns entering and leaving the window at each x (edges replicated).
  const enter = Int32Array.from({ length: width }, (_, x) => Math.min(x + r + 1, width - 1) * c);
  const leave = Int32Array.from({ length: width }, (_, x) => Math.max(x - r, 0) * c);
  const norm = 1 / (size * size);
  const o = target.data;
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    for (let ch = 0; ch < c; ch++) {
      let acc = 0;
      for (let k = -r; k <= r; k++) acc += columns[row + Math.min(Math.max(k, 0), width - 1) * c + ch]!;
      for (let x = 0; x < width; x++) {
        o[row + x * c + ch] = acc * norm;
        acc += columns[row + enter[x]! + ch]! - columns[row + leave[x]! + ch]!;
      }
    }
  }
  return target;
}
