import { checkTaskNames, normaliseTaskScores, type ScoreRange } from './normalise.js';

/** The SSMTL task scores of a region, by the names the scorer stores them under. */
export const ANOMALY_TASKS = {
  middleFrameError: 'middle-frame-mae',
  backward: 'p-backward',
  irregular: 'p-irregular',
  teacherGap: 'teacher-gap',
} as const;

/** One video's scored regions: region r's 7-frame window is centred on frame `centres[r]`. */
export interface RegionTaskScores {
  centres: ArrayLike<number>;
  /** Raw score of each region per task (higher = more anomalous), in the order of `centres`. */
  scores: Readonly<Record<string, ArrayLike<number>>>;
}

export interface FrameScoreOptions {
  frameCount: number;
  /** Which tasks to normalise and sum, e.g. the three SSMTL tasks plus the teacher gap when there is a teacher. */
  tasks: readonly string[];
  /**
   * A region also counts for frames up to this many frames from its centre (default 0: only the
   * centre). Scoring every k-th frame leaves the frames between without a region; ⌊k / 2⌋ covers them.
   */
  halfSpan?: number;
}

export interface FrameScores {
  tasks: string[];
  /** Per frame, the highest region score among the regions covering it; 0 (the normalised minimum) where none does. */
  frame: Float32Array;
  /** Per task and frame, the normalised task score of the region that set `frame` (the parts sum to `frame`). */
  perTask: Record<string, Float32Array>;
  /** Per frame, the index of the region that set `frame`, −1 where no region covers it. */
  region: Int32Array;
  /** Per region, the sum of its normalised task scores. */
  regionScores: Float32Array;
  /** Per task, the raw scores that were mapped to 0 and 1 (null when the video has no regions). */
  ranges: Record<string, ScoreRange | null>;
}

/**
 * SSMTL frame scores for one video: each task's region scores min–max normalised over the video,
 * summed per region; a frame takes the maximum over its regions (the first region wins a tie).
 */
export function frameScores(regions: RegionTaskScores, options: FrameScoreOptions): FrameScores {
  const { frameCount, tasks } = options;
  const halfSpan = options.halfSpan ?? 0;
  if (!Number.isInteger(frameCount) || frameCount < 0) throw new Error(`frame count must be an integer ≥ 0, got ${frameCount}`);
  if (!Number.isInteger(halfSpan) || halfSpan < 0) throw new Error(`half span must be an integer ≥ 0, got ${halfSpan}`);
  checkTaskNames(tasks);
  const regionCount = regions.centres.length;
  checkCentres(regions.centres, frameCount);

  const normalised = normaliseTaskScores(regions.scores, tasks, regionCount);
  const taskValues = tasks.map((task) => (normalised[task] as { normalised: Float32Array }).normalised);
  const regionScores = new Float32Array(regionCount);
  for (let r = 0; r < regionCount; r++) {
    let sum = 0;
    for (const values of taskValues) sum += values[r] as number;
    regionScores[r] = sum;
  }

  const region = new Int32Array(frameCount).fill(-1);
  const frame = new Float32Array(frameCount);
  for (let r = 0; r < regionCount; r++) {
    const centre = regions.centres[r] as number;
    const score = regionScores[r] as number;
    const last = Math.min(frameCount - 1, centre + halfSpan);
    for (let f = Math.max(0, centre - halfSpan); f <= last; f++) {
      if (region[f] === -1 || score > (frame[f] as number)) {
        region[f] = r;
        frame[f] = score;
      }
    }
  }

  const perTask: Record<string, Float32Array> = {};
  tasks.forEach((task, t) => {
    const values = taskValues[t] as Float32Array;
    const out = new Float32Array(frameCount);
    for (let f = 0; f < frameCount; f++) {
      const r = region[f] as number;
      if (r >= 0) out[f] = values[r] as number;
    }
    perTask[task] = out;
  });

  const ranges: Record<string, ScoreRange | null> = {};
  for (const task of tasks) ranges[task] = (normalised[task] as { range: ScoreRange | null }).range;
  return { tasks: [...tasks], frame, perTask, region, regionScores, ranges };
}

function checkCentres(centres: ArrayLike<number>, frameCount: number): void {
  for (let r = 0; r < centres.length; r++) {
    const centre = centres[r] as number;
    if (!Number.isInteger(centre) || centre < 0 || centre >= frameCount) {
      const frames = frameCount === 0 ? 'the video has no frames' : `the video's frames are 0..${frameCount - 1}`;
      throw new Error(`region ${r} is centred on frame ${centre}, but ${frames}`);
    }
  }
}
