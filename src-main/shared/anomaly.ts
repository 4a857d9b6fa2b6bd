/**
 * The anomaly contract: settings of an SSMTL run (self-supervised multi-task learning on footage
 * marked normal), what a run, a scored video, a mark and an evaluation look like to the UI and the CLI.
 */
import { z } from 'zod';
import { absolutePath } from './absolute-path.js';
import type { RunStatus } from './run-dto.js';
import type { PerTask } from './anomaly-curves.js';
import type { RegionBoxes } from './anomaly-boxes.js';
import { DEFAULT_SAMPLE_FPS, type AnomalySampling } from './anomaly-time.js';

export type { AnomalySampling } from './anomaly-time.js';

// The zod-free parts live in anomaly-curves.ts so the renderer can use them without bundling zod.
export {
  anomalyTasks,
  anomalyTaskInfo,
  decodeFloat32,
  encodeFloat32,
  TEACHER_TASK,
  type AnomalyTask,
  type AnomalyTaskName,
  type PerTask,
} from './anomaly-curves.js';


const whole = (min: number, max: number) => z.number().int().min(min).max(max);

/** Every setting of an anomaly run, with its default (see METHODS.md, SSMTL). */
export const anomalySettingsSchema = z
  .object({
    // Measured on real pedestrian footage (docs/benchmarks.md): 15 epochs over tubes cut every 2nd
    // frame learnt the motion irregularity and middle-frame tasks, but the arrow of time only takes
    // off after about 20 (train accuracy 0.57 at 15 epochs, 0.82 at 28); at 30 it caught reversal.
    epochs: whole(1, 1000).default(30),
    /** Source tubes per step; each task gets one sample from every tube. */
    batchSize: whole(1, 512).default(16),
    learningRate: z.number().positive().max(1).default(1e-3),
    seed: whole(0, 2 ** 31 - 1).default(1),
    /** S: a region's tube is S × S pixels (a multiple of 2^depth). */
    size: whole(8, 256).default(64),
    /** 3 = RGB, 1 = grey. */
    channels: z.union([z.literal(1), z.literal(3)]).default(3),
    /** Channels of the encoder's first block. */
    width: whole(1, 128).default(16),
    depth: whole(1, 5).default(3),
    /** At most this many training tubes are kept (a uniform sample of the normal footage). */
    maxTubes: whole(1, 100_000).default(1024),
    /**
     * Frames a second the model sees: every k-th decoded frame is kept, k = round(fps / sampleFps), so a
     * 7-frame window spans ~0.7 s at any camera rate (0 = every frame, as runs made before this had it).
     * Scoring with the run samples the same way.
     */
    sampleFps: z.number().min(0).max(240).default(DEFAULT_SAMPLE_FPS),
    /** Seconds between the starts of neighbouring training windows (0.2 s: every 2nd frame at 10 fps). */
    windowStrideSeconds: z.number().positive().max(60).default(0.2),
    /** Video frames between training windows: overrides windowStrideSeconds when set (null: use the seconds). */
    windowStride: whole(1, 1000).nullable().default(null),
    /** Frames are decoded with their longer side at most this many pixels. */
    longSide: whole(32, 4096).default(320),
    /**
     * Tubes follow their object through the window (its box linked frame to frame), so a walker stays in
     * its tube; false keeps the middle frame's box in every frame, as runs made before this did. Scoring
     * with the run cuts tubes the same way.
     */
    followObjects: z.boolean().default(true),
    /**
     * CPU threads a training step is split across on the wasm and cpu backends (0: one per core); each
     * computes the gradients of part of the step's tubes. The native backends use every core themselves.
     */
    threads: whole(0, 64).default(0),
    /** A TF.js image model (folder with model.json) to distil into a fourth head; none by default. */
    teacherDir: absolutePath.nullable().default(null),
  })
  .strict()
  .refine((s) => s.size % 2 ** s.depth === 0, {
    message: 'The tube size must be a multiple of 2 to the power of the depth (e.g. 64 with depth 3).',
    path: ['size'],
  });
export type AnomalySettings = z.output<typeof anomalySettingsSchema>;
export type AnomalySettingsInput = z.input<typeof anomalySettingsSchema>;

export const ANOMALY_SETTINGS_DEFAULTS: AnomalySettings = anomalySettingsSchema.parse({});

/**
 * A run's settings as stored. Runs made before sampling and seconds existed have no `sampleFps` and a
 * frame-valued `windowStride`: they were trained on every frame, so they read as sampleFps 0 with their
 * stride as a frame override, and train on (and score) exactly as before.
 */
export function readStoredAnomalySettings(stored: unknown): AnomalySettings {
  const legacy = typeof stored === 'object' && stored !== null && !('sampleFps' in stored);
  const parsed = anomalySettingsSchema.parse(legacy ? { ...stored, sampleFps: 0 } : stored);
  // Runs stored before tubes followed objects were trained on still boxes: they keep them.
  const stillBoxes = typeof stored === 'object' && stored !== null && !('followObjects' in stored);
  return stillBoxes ? { ...parsed, followObjects: false } : parsed;
}

/**
 * How a trained model scores footage, in seconds converted per video from its delivered frame rate; the
 * frame-valued `stride` and `sigma` override them (and are what curves stored before seconds have).
 */
export const anomalyScoreOptionsSchema = z
  .object({
    /**
     * Seconds between the starts of neighbouring 7-frame windows: 0.6 s is 6 sampled frames at 10 fps, not
     * 7: neighbours then share a frame, so every change from one sampled frame to the next lies inside
     * some window. With 7 the windows only touch, and a skip, turn or cut between two is seen by none.
     */
    strideSeconds: z.number().positive().max(60).default(0.6),
    /** Temporal Gaussian σ of the smoothed curve in seconds (0 = none): SSMTL's 20 frames at 25 fps. */
    sigmaSeconds: z.number().min(0).max(600).default(0.8),
    /** Video frames between windows: overrides strideSeconds when set. */
    stride: whole(1, 1000).optional(),
    /** σ in video frames: overrides sigmaSeconds when set. */
    sigma: z.number().min(0).max(10_000).optional(),
  })
  .strict();
export type AnomalyScoreOptions = z.output<typeof anomalyScoreOptionsSchema>;
export type AnomalyScoreOptionsInput = z.input<typeof anomalyScoreOptionsSchema>;

/** One epoch of an anomaly run (means over its steps). */
export interface AnomalyEpochDto {
  epoch: number;
  step: number;
  loss: number;
  middleFrameLoss: number;
  arrowLoss: number;
  irregularLoss: number;
  arrowAccuracy: number;
  irregularAccuracy: number;
  /** L1 to the teacher's features; null (or absent) without a teacher. */
  teacherLoss?: number | null;
  learningRate: number;
  tubes: number;
  tubesPerSecond: number;
  seconds: number;
}

export type AnomalyStepDto = Omit<AnomalyEpochDto, 'learningRate' | 'tubes' | 'tubesPerSecond' | 'seconds'>;

export interface AnomalyRunDto {
  id: number;
  name: string;
  settings: AnomalySettings;
  status: RunStatus;
  error: string | null;
  /** The job that trains or scores right now, if any. */
  jobId: number | null;
  backend: string | null;
  backendReason: string | null;
  epochsDone: number;
  /** The footage it learnt as normal: intervals, videos and frames. */
  normal: { intervals: number; videos: number; frames: number };
  /** Training tubes kept, of the tubes the footage held; windows with moving regions vs the grid fallback. */
  tubes: { kept: number; seen: number; motionWindows: number; gridWindows: number } | null;
  last: AnomalyEpochDto | null;
  hasModel: boolean;
  resumable: boolean;
  /** Videos with a stored score curve from this run. */
  scoredVideos: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface AnomalyRunMetricsDto {
  epochs: AnomalyEpochDto[];
  steps: AnomalyStepDto[];
}

/**
 * A video's score curve from one run. Arrays are little-endian float32, base64-encoded (decode with
 * `decodeFloat32`): a 100,000-frame video is 533 kB per curve rather than megabytes of JSON.
 */
export interface AnomalyScoresDto {
  runId: number;
  videoId: number;
  frameCount: number;
  fps: number | null;
  /** Smoothed score per frame: the curve the view draws, the events and the AUC use. */
  scores: string;
  /** The unsmoothed score per frame. */
  raw: string;
  /** Per task, that task's part of the raw score (the parts sum to `raw`): "which task flagged it". */
  perTask: PerTask<string>;
  /**
   * Per frame, the box of the region that made its score, in the pixels of a width × height picture (the
   * video as a player shows it): `frames` is little-endian int16 x, y, w, h per frame, base64-encoded
   * (decode with `decodeFrameBoxes` of anomaly-boxes.ts; −1 four times where no region scored the frame).
   * Null for curves scored before boxes were kept: score again.
   */
  boxes: RegionBoxes<string> | null;
  /** The options asked for (seconds, or frame overrides). */
  options: AnomalyScoreOptions;
  /** What was sampled and used for this video, in its frames and seconds; null for curves stored before it was recorded. */
  sampling: AnomalySampling | null;
  regionsScored: number;
  /** Windows whose regions were moving things, and windows that fell back to the grid. */
  windows: { motion: number; grid: number };
  /** Lowest and highest smoothed score (for a threshold slider's range). */
  min: number;
  max: number;
  seconds: number;
  scoredAt: string;
}

/** A row of the view's video list: whether a run scored the video, its peak, and its marks. */
export interface AnomalyVideoDto {
  videoId: number;
  path: string;
  frameCount: number | null;
  fps: number | null;
  scored: boolean;
  max: number | null;
  marks: { anomaly: number; normal: number };
}

export const anomalyMarkKinds = ['anomaly', 'normal'] as const;
export type AnomalyMarkKind = (typeof anomalyMarkKinds)[number];

/** How `anomaly:marks:export` writes: csv `path,start,end` of the anomalous intervals, or json of every mark. */
export const anomalyMarkExportFormats = ['csv', 'json'] as const;
export type AnomalyMarkExportFormat = (typeof anomalyMarkExportFormats)[number];

/** Frames [startFrame, endFrame) of a video marked by a person (or imported) as anomalous or normal. */
export interface AnomalyMarkDto {
  id: number;
  videoId: number;
  startFrame: number;
  endFrame: number;
  kind: AnomalyMarkKind;
  source: 'human' | 'import';
  createdAt: string;
}

export interface AnomalyVideoAuc {
  videoId: number;
  path: string;
  frames: number;
  anomalousFrames: number;
  /** Null when the video's truth is all one class (left out of the macro mean). */
  auc: number | null;
}

/** Frame-level AUC of a run's smoothed scores against ground truth. */
export interface AnomalyEvalDto {
  runId: number;
  /** Where the truth came from: the marks, or a file. */
  truth: 'marks' | 'file';
  /** All frames of all evaluated videos concatenated (null when they hold one class only). */
  micro: number | null;
  /** Mean of the per-video AUCs (null when no video has both classes). */
  macro: number | null;
  /** AUC-PR over the same frames as `micro`: average precision, step-wise as scikit-learn computes it. */
  averagePrecision: number | null;
  /** The smoothed-score threshold of highest frame F1 over the same frames, with its precision and recall. */
  bestF1: { threshold: number; f1: number; precision: number; recall: number } | null;
  /** Micro AUC of each task's part alone: which task separates anomalies here. */
  perTask: PerTask<number | null>;
  videos: AnomalyVideoAuc[];
  /** Videos with truth but no scores from this run (not evaluated). */
  unscored: { videoId: number; path: string }[];
}

export interface AnomalyMarkImportReport {
  marks: number;
  videos: number;
  /** Rows or files that matched no video of the project. */
  skipped: { row: string; reason: string }[];
}

const id = z.number().int().positive();
const frame = z.number().int().min(0);

export const anomalyMarkParamsSchema = z
  .object({
    videoId: id,
    startFrame: frame,
    /** Exclusive. */
    endFrame: frame,
    kind: z.enum(anomalyMarkKinds, { message: 'A mark is an anomaly or normal.' }),
  })
  .strict()
  .refine((m) => m.endFrame > m.startFrame, { message: 'A mark ends after it starts.', path: ['endFrame'] });
