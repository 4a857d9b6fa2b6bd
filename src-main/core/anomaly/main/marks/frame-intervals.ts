/** Frames [start, end) of one video. */
export interface FrameInterval {
  start: number;
  end: number;
}

/** Runs of 1s in per-frame truth, as intervals in frame order. */
export function runsOfOnes(frames: ArrayLike<number>): FrameInterval[] {
  const runs: FrameInterval[] = [];
  let start = -1;
  for (let i = 0; i < frames.length; i++) {
    if (frames[i] === 1) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      runs.push({ start, end: i });
      start = -1;
    }
  }
  if (start >= 0) runs.push({ start, end: frames.length });
  return runs;
}

/** Parts of `from` not covered by any of `cut` (both sorted or not), in frame order. */
export function subtractIntervals(from: readonly FrameInterval[], cut: readonly FrameInterval[]): FrameInterval[] {
  const cuts = [...cut].sort((a, b) => a.start - b.start);
  const out: FrameInterval[] = [];
  for (const piece of [...from].sort((a, b) => a.start - b.start)) {
    let start = piece.start;
    for (const c of cuts) {
      if (c.end <= start || c.start >= piece.end) continue;
      if (c.start > start) out.push({ start, end: c.start });
      start = Math.max(start, c.end);
      if (start >= piece.end) break;
    }
    if (start < piece.end) out.push({ start, end: piece.end });
  }
  return out;
}
