/** Operations on 0/1 masks (Uint8Array, row-major) that motion region finding needs. */

/** Sets every pixel within `radius` (a (2r+1)² square) of a set pixel; O(pixels), separable. */
export function dilateSquare(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  if (radius <= 0) return mask.slice();
  const rows = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let count = 0;
    // Sliding count of set pixels in [x - r, x + r].
    for (let x = 0; x < Math.min(radius, width); x++) count += mask[row + x]!;
    for (let x = 0; x < width; x++) {
      if (x + radius < width) count += mask[row + x + radius]!;
      if (x - radius - 1 >= 0) count -= mask[row + x - radius - 1]!;
      rows[row + x] = count > 0 ? 1 : 0;
    }
  }
  const out = new Uint8Array(mask.length);
  for (let x = 0; x < width; x++) {
    let count = 0;
    for (let y = 0; y < Math.min(radius, height); y++) count += rows[y * width + x]!;
    for (let y = 0; y < height; y++) {
      if (y + radius < height) count += rows[(y + radius) * width + x]!;
      if (y - radius - 1 >= 0) count -= rows[(y - radius - 1) * width + x]!;
      out[y * width + x] = count > 0 ? 1 : 0;
    }
  }
  return out;
}

export interface Components {
  /** 0 for background, 1..count for the component a set pixel belongs to. */
  labels: Int32Array;
  count: number;
}

/** Connected components of the set pixels, 8-connectivity, numbered in raster order of their first pixel. */
export function labelComponents(mask: Uint8Array, width: number, height: number): Components {
  const labels = new Int32Array(mask.length);
  const stack = new Int32Array(mask.length);
  let count = 0;
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || labels[start] !== 0) continue;
    count++;
    labels[start] = count;
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const p = stack[--top]!;
      const px = p % width;
      const py = (p - px) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = py + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = px + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (mask[q] !== 0 && labels[q] === 0) {
            labels[q] = count;
            stack[top++] = q;
          }
        }
      }
    }
  }
  return { labels, count };
}

/** Per component: how many pixels of `counted` it holds and their bounds (the box is empty when none). */
export interface ComponentPixels {
  pixels: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function componentPixels(components: Components, counted: Uint8Array, width: number): ComponentPixels[] {
  const stats: ComponentPixels[] = Array.from({ length: components.count }, () => ({
    pixels: 0,
    minX: Infinity,
    minY: Infinity,
    maxX: -Infinity,
    maxY: -Infinity,
  }));
  const { labels } = components;
  for (let p = 0; p < labels.length; p++) {
    const label = labels[p]!;
    if (label === 0 || counted[p] === 0) continue;
    const s = stats[label - 1]!;
    const x = p % width;
    const y = (p - x) / width;
    s.pixels++;
    if (x < s.minX) s.minX = x;
    if (x > s.maxX) s.maxX = x;
    if (y < s.minY) s.minY = y;
    if (y > s.maxY) s.maxY = y;
  }
  return stats;
}
