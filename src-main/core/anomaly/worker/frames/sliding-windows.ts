export interface SlidingWindowOptions {
  /** Consecutive frames per window (SSMTL's tubes are 7 frames). */
  length?: number;
  /** Frames between the starts of neighbouring windows. */
  stride?: number;
}

export const SLIDING_WINDOW_DEFAULTS = { length: 7, stride: 1 } as const;

/** L consecutive frames; `start` is the first frame's index, `centre` the middle one's (start + ⌊L/2⌋). */
export interface FrameWindow<T> {
  start: number;
  centre: number;
  /** Shared with the neighbouring windows: read, do not change. */
  frames: readonly T[];
}

function checkWhole(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`sliding windows: ${name} must be a whole number ≥ 1, got ${value}`);
  return value;
}

/**
 * Windows of `length` consecutive frames starting at frames 0, stride, 2·stride, …, as long as a whole
 * window fits (the last frames may start no window). Holds at most `length` frames: frames no window
 * needs (a stride longer than the window) are dropped as they arrive. Frames must come in index order
 * without gaps, as a frame stream delivers them.
 */
export async function* slidingWindows<T extends { index: number }>(
  frames: AsyncIterable<T>,
  options: SlidingWindowOptions = {},
): AsyncGenerator<FrameWindow<T>, void, undefined> {
  const length = checkWhole('length', options.length ?? SLIDING_WINDOW_DEFAULTS.length);
  const stride = checkWhole('stride', options.stride ?? SLIDING_WINDOW_DEFAULTS.stride);
  let held: T[] = [];
  let nextStart = 0;
  let expected = 0;
  for await (const frame of frames) {
    if (frame.index !== expected) throw new Error(`sliding windows: expected frame ${expected}, got frame ${frame.index}`);
    expected++;
    if (frame.index < nextStart) continue;
    held.push(frame);
    if (held.length < length) continue;
    yield { start: nextStart, centre: nextStart + Math.floor(length / 2), frames: held };
    // A fresh array, so the window just handed out keeps its frames while the next one fills.
    held = held.slice(Math.min(stride, length));
    nextStart += stride;
  }
}
