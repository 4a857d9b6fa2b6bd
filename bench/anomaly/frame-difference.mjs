// The baseline a learnt detector must beat: how much the picture changes, frame to frame.

/** Per frame, the mean absolute difference of its grey levels from the previous frame's (frame 0 takes frame 1's). */
export function frameDifferenceScores(frames, { width, height }) {
  const pixels = width * height;
  const grey = (frame) => {
    const g = new Float32Array(pixels);
    for (let p = 0; p < pixels; p++) g[p] = 0.299 * frame[3 * p] + 0.587 * frame[3 * p + 1] + 0.114 * frame[3 * p + 2];
    return g;
  };
  const scores = new Float32Array(frames.length);
  let previous = grey(frames[0]);
  for (let t = 1; t < frames.length; t++) {
    const current = grey(frames[t]);
    let sum = 0;
    for (let p = 0; p < pixels; p++) sum += Math.abs(current[p] - previous[p]);
    scores[t] = sum / pixels;
    previous = current;
  }
  if (frames.length > 1) scores[0] = scores[1];
  return scores;
}

/** Min–max normalised copy (constant → zeros), as the app normalises each video's task scores. */
export function minMax(values) {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return values.map((v) => (max > min ? (v - min) / (max - min) : 0));
}
