/** A float image of `channels` interleaved values per pixel, row-major. */
export interface FloatImage {
  width: number;
  height: number;
  channels: number;
  data: Float32Array;
}

export function floatImage(width: number, height: number, channels: number): FloatImage {
  return { width, height, channels, data: new Float32Array(width * height * channels) };
}
