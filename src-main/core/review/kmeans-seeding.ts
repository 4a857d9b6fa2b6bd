/**
 * k-means++ seeding (Arthur & Vassilvitskii 2007) as BADGE uses it to pick a batch (Ash et al. 2020): the
 * first point is the longest, then each next one is drawn with probability proportional to its squared
 * distance to the nearest point picked so far, so the picks spread over the space instead of piling
 * up where the points are dense.
 */

/** The points, seen only through their squared norms and squared distances. */
export interface SeedingSpace {
  size: number;
  norm2(i: number): number;
  distance2(i: number, j: number): number;
}

/** Longest first; equal lengths in index order. */
function byLength(space: SeedingSpace, indices: number[]): number[] {
  return indices.sort((a, b) => space.norm2(b) - space.norm2(a) || a - b);
}

/**
 * The indices of up to `k` seeds in the order picked (k > size: every point). `uniform` gives numbers in
 * [0, 1); equal points draw nothing, so once every point left sits on a pick the rest follow longest first.
 */
export function kMeansPlusPlusSeeds(space: SeedingSpace, k: number, uniform: () => number): number[] {
  const n = space.size;
  const want = Math.min(Math.max(0, Math.floor(k)), n);
  if (want === 0) return [];
  const picked: number[] = [];
  const taken = new Uint8Array(n);
  const nearest = new Float64Array(n).fill(Infinity);
  const take = (i: number): void => {
    picked.push(i);
    taken[i] = 1;
    for (let j = 0; j < n; j++) {
      if (taken[j]) continue;
      const d = space.distance2(i, j);
      if (d < (nearest[j] ?? Infinity)) nearest[j] = d;
    }
  };
  take(byLength(space, Array.from({ length: n }, (_, i) => i))[0] ?? 0);
  while (picked.length < want) {
    let total = 0;
    for (let j = 0; j < n; j++) if (!taken[j]) total += nearest[j] ?? 0;
    if (!(total > 0)) {
      const rest = byLength(space, Array.from({ length: n }, (_, i) => i).filter((i) => !taken[i]));
      picked.push(...rest.slice(0, want - picked.length));
      break;
    }
    const target = uniform() * total;
    let sum = 0;
    let choice = -1;
    for (let j = 0; j < n; j++) {
      if (taken[j]) continue;
      const d = nearest[j] ?? 0;
      if (d <= 0) continue;
      choice = j;
      sum += d;
      if (sum > target) break;
    }
    take(choice);
  }
  return picked;
}

/** Plain vectors as a seeding space (Euclidean). */
export function vectorSpace(points: readonly (readonly number[])[]): SeedingSpace {
  const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, v, i) => s + v * (b[i] ?? 0), 0);
  return {
    size: points.length,
    norm2: (i) => dot(points[i] ?? [], points[i] ?? []),
    distance2: (i, j) => {
      const a = points[i] ?? [];
      const b = points[j] ?? [];
      return a.reduce((s, v, d) => s + (v - (b[d] ?? 0)) ** 2, 0);
    },
  };
}
