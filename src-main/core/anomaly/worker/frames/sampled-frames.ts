/**
 * Fixed temporal resolution: of a video's decoded frames keep frames 0, k, 2k, … renumbered 0, 1, 2, …,
 * dropping the others as they arrive (before region finding and the model see them). With k from
 * frameStepFor, a 30 fps camera's windows span the same ~0.7 s as a 10 fps one's, at a third of the cost.
 */
export async function* everyKthFrame<T extends { index: number }>(frames: AsyncIterable<T>, k: number): AsyncGenerator<T, void, undefined> {
  if (!Number.isInteger(k) || k < 1) throw new Error(`frame sampling: the step must be a whole number ≥ 1, got ${k}`);
  for await (const frame of frames) {
    if (frame.index % k === 0) yield k === 1 ? frame : { ...frame, index: frame.index / k };
  }
}
