/**
 * Per-video, per-task min–max normalisation of region scores (SSMTL): each task's raw errors or
 * probabilities live on their own scale, so they are mapped to [0, 1] within one video before they
 * are summed. A task whose scores are all equal carries no signal in that video and becomes all 0.
 */

/** The raw scores a task's normalisation mapped to 0 and 1; null when the video had no regions. */
export interface ScoreRange {
  min: number;
  max: number;
}

export interface NormalisedScores {
  normalised: Float32Array;
  range: ScoreRange | null;
}

/** Smallest and largest value; throws on NaN or ±Infinity, naming `what` and the index. */
export function scoreRange(values: ArrayLike<number>, what = 'scores'): ScoreRange | null {
  if (values.length === 0) return null;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (!Number.isFinite(value)) throw new Error(`${what}: value ${i} is ${value}, expected a finite number`);
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}

/** (v − min) / (max − min) for every value; all 0 when the values are constant. */
export function minMaxNormalise(values: ArrayLike<number>, what = 'scores'): NormalisedScores {
  const range = scoreRange(values, what);
  const normalised = new Float32Array(values.length);
  if (range === null) return { normalised, range };
  const span = range.max - range.min;
  if (span > 0) {
    for (let i = 0; i < values.length; i++) normalised[i] = ((values[i] as number) - range.min) / span;
  }
  return { normalised, range };
}

/**
 * Normalises each named task of one video's regions separately. Every named task must be present
 * with one score per region; tasks in `scores` that are not named are not used.
 */
export function normaliseTaskScores(
  scores: Readonly<Record<string, ArrayLike<number>>>,
  tasks: readonly string[],
  regionCount: number,
): Record<string, NormalisedScores> {
  checkTaskNames(tasks);
  const out: Record<string, NormalisedScores> = {};
  for (const task of tasks) {
    const values = Object.hasOwn(scores, task) ? scores[task] : undefined;
    if (values === undefined) {
      const given = Object.keys(scores);
      throw new Error(`task '${task}' has no scores (given: ${given.length > 0 ? given.join(', ') : 'none'})`);
    }
    if (values.length !== regionCount) {
      throw new Error(`task '${task}' has ${values.length} scores for ${regionCount} regions`);
    }
    out[task] = minMaxNormalise(values, `task '${task}'`);
  }
  return out;
}

export function checkTaskNames(tasks: readonly string[]): void {
  if (tasks.length === 0) throw new Error('at least one task is needed to score regions');
  const seen = new Set<string>();
  for (const task of tasks) {
    if (task.trim() === '') throw new Error('a task name is empty');
    if (seen.has(task)) throw new Error(`task '${task}' is named twice`);
    seen.add(task);
  }
}
