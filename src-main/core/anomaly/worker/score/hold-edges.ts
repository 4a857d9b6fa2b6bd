/**
 * The first and last frames of a video lie in no window's centre span (a 7-frame window is centred 3
 * frames in, and the last window may end before the video does). Left at 0 they would read as "most
 * normal" and pull the smoothed curve down at both ends; instead they take the nearest covered frame's
 * values. `covered[f]` ≥ 0 where a region scored frame f (frameScores' `region`). Changes the arrays in place.
 */
export function holdEdges(covered: Int32Array, arrays: readonly Float32Array[]): void {
  const n = covered.length;
  const ends = coveredEnds(covered);
  if (ends === null) return;
  for (const values of arrays) {
    if (values.length !== n) throw new Error(`hold edges: an array has ${values.length} values for ${n} frames`);
    values.fill(values[ends.first]!, 0, ends.first);
    values.fill(values[ends.last]!, ends.last + 1, n);
  }
}

/** `covered` with the same edges held: the frames before the first covered frame and after the last take its region. */
export function holdEdgeRegions(covered: Int32Array): Int32Array {
  const held = Int32Array.from(covered);
  const ends = coveredEnds(covered);
  if (ends === null) return held;
  held.fill(covered[ends.first]!, 0, ends.first);
  held.fill(covered[ends.last]!, ends.last + 1, held.length);
  return held;
}

/** The first and last covered frames, or null when no frame is. */
function coveredEnds(covered: Int32Array): { first: number; last: number } | null {
  const n = covered.length;
  let first = 0;
  while (first < n && covered[first]! < 0) first++;
  if (first === n) return null;
  let last = n - 1;
  while (covered[last]! < 0) last--;
  return { first, last };
}
