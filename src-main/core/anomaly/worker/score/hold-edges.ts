/**
 * The first and last frames of a video lie in no window's centre span (a 7-frame window is centred 3
 * frames in, and the last window may end before the video does). Left at 0 they would read as "most
 * normal" and pull the smoothed curve down at both ends; instead they take the nearest covered frame's
 * values. `covered[f]` ≥ 0 where a region scored frame f (frameScores' `region`). Changes the arrays in place.
 */
export function holdEdges(covered: Int32Array, arrays: readonly Float32Array[]): void {
  const n = covered.length;
  let first = 0;
  while (first < n && covered[first]! < 0) first++;
  if (first === n) return;
  let last = n - 1;
  while (covered[last]! < 0) last--;
  for (const values of arrays) {
    if (values.length !== n) throw new Error(`hold edges: an array has ${values.length} values for ${n} frames`);
    values.fill(values[first]!, 0, first);
    values.fill(values[last]!, last + 1, n);
  }
}
