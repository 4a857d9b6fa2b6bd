import { floatImage, type FloatImage } from './float-image.js';

interface Taps {
  lo: Int32Array;
  hi: Int32Array;
  weight: Float32Array;
}

/** Source taps for each destination coordinate, pixel centres aligned as OpenCV's INTER_LINEAR. */
function taps(src: number, dst: number): Taps {
  const scale = src / dst;
  const lo = new Int32Array(dst);
  const hi = new Int32Array(dst);
  const weight = new Float32Array(dst);
  for (let i = 0; i < dst; i++) {
    const f = (i + 0.5) * scale - 0.5;
    let s = Math.floor(f);
    let w = f - s;
    if (s < 0) [s, w] = [0, 0];
    if (s >= src - 1) [s, w] = [src - 1, 0];
    lo[i] = s;
    hi[i] = Math.min(s + 1, src - 1);
    weight[i] = w;
  }
  return { lo, hi, weight };
}

/** Bilinear resize of an image of any channel count to `width`×`height`. */
export function resizeBilinear(image: FloatImage, width: number, height: number): FloatImage {
  const { channels: c, data } = image;
  const out = floatImage(width, height, c);
  const xt = taps(image.width, width);
  const yt = taps(image.height, height);
  const stride = image.width * c;
  let at = 0;
  for (let y = 0; y < height; y++) {
    const wy = yt.weight[y]!;
    const r0 = yt.lo[y]! * stride;
    const r1 = yt.hi[y]! * stride;
    for (let x = 0; x < width; x++) {
      const wx = xt.weight[x]!;
      const c0 = xt.lo[x]! * c;
      const c1 = xt.hi[x]! * c;
      for (let k = 0; k < c; k++, at++) {
        const top = data[r0 + c0 + k]! * (1 - wx) + data[r0 + c1 + k]! * wx;
        const bottom = data[r1 + c0 + k]! * (1 - wx) + data[r1 + c1 + k]! * wx;
        out.data[at] = top * (1 - wy) + bottom * wy;
      }
    }
  }
  return out;
}
