/**
 * Scores one video with a trained SSMTL model, streaming it: ffmpeg decodes frames into a bounded queue,
 * 7-frame windows slide over them with a stride, each window's regions (moving objects against the video's
 * background, as in training; see VideoRegionFinder) are cut into tubes and scored in batches, and only
 * the regions' few numbers stay behind. At the end the per-video normalisation, frame scores and
 * smoothing turn them into one curve per frame.
 */
import type * as tf from '@tensorflow/tfjs';
import { ANOMALY_SETTINGS_DEFAULTS, anomalyScoreOptionsSchema } from '../../../../shared/anomaly.js';
import { ApiError } from '../../../../shared/errors.js';
import type { MediaTools } from '../../../media/media-tools.js';
import { StepThrottle, STEP_MESSAGE_INTERVAL_MS, yieldToEventLoop } from '../../../engine/worker/step-throttle.js';
import { openFrameStream, type FrameStream } from '../frames/frame-stream.js';
import { slidingWindows } from '../frames/sliding-windows.js';
import { anomalySpecOf } from '../model/anomaly-model.js';
import { holdEdges } from './hold-edges.js';
import { RegionScoreLog } from './region-score-log.js';
import { TubeBatcher } from './tube-batcher.js';
import type { RegionForward } from './forward/region-forward.js';
import { WindowFrameTensors } from './window-frame-tensors.js';
import { DOWNSCALED_REGION_DEFAULTS } from '../regions/downscaled-regions.js';
import { VideoRegionFinder } from '../regions/video-regions.js';
import type { WindowRegionOptions } from '../regions/window-regions.js';
import { ANOMALY_TASKS, frameScores } from './frame-scores.js';
import { DEFAULT_SMOOTHING_SIGMA, smoothScores } from './smooth.js';
import { TUBE_FRAMES } from '../tasks/tube-batch.js';
import type { ImageTeacher } from '../../../teacher/worker/image-teacher.js';
import type { VideoScores } from '../../jobs.js';

export interface ScoreVideoOptions {
  /**
   * Frames are decoded with their longer side at most this many pixels (default 320: motion boxes are at
   * least 64 px there, so 64×64 tubes are cut without enlarging, and piping 4× fewer bytes than 640 px
   * keeps decoding well ahead of the model).
   */
  longSide?: number;
  /**
   * Frames between the starts of neighbouring 7-frame windows (default 6: neighbours share one frame, so
   * every frame-to-frame change, a skip or a turn, is inside some window, at less than half the cost of
   * stride 3; σ = 20 smoothing blurs far more than the 6-frame step). The model's forward pass is most of
   * the time, so this is the speed knob.
   */
  stride?: number;
  /** A window's regions also score the frames this far from its centre (default ⌊stride / 2⌋, so every frame is covered). */
  halfSpan?: number;
  /** Width of the grey copy regions are found on (default 160 px). */
  regionWidth?: number;
  regions?: WindowRegionOptions;
  /** Regions per forward pass (default 32). */
  batchSize?: number;
  /** Temporal Gaussian σ in frames for the smoothed curve (default 20; 0 = none). */
  sigma?: number;
  /** Kernel length (odd), e.g. 49 as in the paper; default 2·⌈3σ⌉ + 1. */
  taps?: number;
  tools?: MediaTools;
  /** The image teacher the model was trained to distil (see loadRunTeacher): adds the teacher-gap task. */
  teacher?: ImageTeacher | null;
  /** 'fail' (default): a damaged file rejects; 'ignore': score the frames that decode. */
  damage?: 'fail' | 'ignore';
  /** Runs the model on each batch of regions (default: `model` in TensorFlow.js; see forward/choose-region-forward.ts). */
  forward?: RegionForward;
}

const SCORE_OPTION_DEFAULTS = anomalyScoreOptionsSchema.parse({});

/** Stride and frame size are the app's scoring and run defaults (one place: shared/anomaly.ts). */
export const SCORE_VIDEO_DEFAULTS = { longSide: ANOMALY_SETTINGS_DEFAULTS.longSide, stride: SCORE_OPTION_DEFAULTS.stride, batchSize: 32 } as const;

export interface ScoreVideoControl {
  /** Aborting stops ffmpeg at once and rejects with a CANCELLED ApiError. */
  signal?: AbortSignal;
  /** Frames read so far and the frames the header promises (null when it does not say); a few calls per second. */
  onProgress?: (framesDone: number, expectedFrames: number | null) => void;
  /** Least time between two progress calls (default 250 ms); the first and the last call always happen. */
  progressIntervalMs?: number;
}


interface Resolved {
  longSide: number;
  stride: number;
  halfSpan: number;
  batchSize: number;
  sigma: number;
  regionWidth: number;
  regions: WindowRegionOptions | undefined;
}

function resolveOptions(options: ScoreVideoOptions): Resolved {
  const stride = options.stride ?? SCORE_VIDEO_DEFAULTS.stride;
  if (!Number.isInteger(stride) || stride < 1) throw new Error(`anomaly scoring: stride must be a whole number ≥ 1, got ${stride}`);
  const halfSpan = options.halfSpan ?? Math.floor(stride / 2);
  if (!Number.isInteger(halfSpan) || halfSpan < 0) throw new Error(`anomaly scoring: halfSpan must be a whole number ≥ 0, got ${halfSpan}`);
  const sigma = options.sigma ?? DEFAULT_SMOOTHING_SIGMA;
  if (!Number.isFinite(sigma) || sigma < 0) throw new Error(`anomaly scoring: sigma must be a finite number ≥ 0, got ${sigma}`);
  return {
    longSide: options.longSide ?? SCORE_VIDEO_DEFAULTS.longSide,
    stride,
    halfSpan,
    batchSize: options.batchSize ?? SCORE_VIDEO_DEFAULTS.batchSize,
    sigma,
    regionWidth: options.regionWidth ?? DOWNSCALED_REGION_DEFAULTS.regionWidth,
    regions: options.regions,
  };
}

const cancelled = (): ApiError => new ApiError('CANCELLED', 'Cancelled.');

/** The three SSMTL tasks, and the distillation gap when the model has a teacher. */
function scoredTasks(teacher: ImageTeacher | null): string[] {
  const tasks: string[] = [ANOMALY_TASKS.middleFrameError, ANOMALY_TASKS.backward, ANOMALY_TASKS.irregular];
  return teacher === null ? tasks : [...tasks, ANOMALY_TASKS.teacherGap];
}

/**
 * Anomaly scores for every frame of `file`. Memory stays bounded by the stream's buffer, one window's
 * frames on the backend and one batch of tubes, whatever the video's length; no tensor outlives the call.
 * A file that cannot be read or decoded rejects with a MediaFailure that says why.
 */
export async function scoreVideo(
  file: string,
  model: tf.LayersModel,
  options: ScoreVideoOptions = {},
  control: ScoreVideoControl = {},
): Promise<VideoScores> {
  const began = performance.now();
  const settings = resolveOptions(options);
  const spec = anomalySpecOf(model);
  const { signal, onProgress } = control;
  const stream = await openFrameStream(file, {
    longSide: settings.longSide,
    ...(options.tools ? { tools: options.tools } : {}),
    ...(signal ? { signal } : {}),
    ...(options.damage ? { damage: options.damage } : {}),
  });
  const teacher = options.teacher ?? null;
  if (teacher !== null && spec.teacherDim !== teacher.dim) {
    stream.close();
    throw new Error(`anomaly scoring: the model's distillation head has ${spec.teacherDim} outputs, the teacher ${teacher.dim}`);
  }
  const tasks = scoredTasks(teacher);
  const log = new RegionScoreLog(tasks);
  const frames = new WindowFrameTensors(stream.width, stream.height);
  const batcher = new TubeBatcher(model, log, settings.batchSize, teacher, options.forward);
  const windows = { motion: 0, grid: 0 };
  try {
    await scoreWindows(stream, settings, spec, { frames, batcher, windows }, control);
    if (signal?.aborted) throw cancelled();
    await batcher.flush();
  } finally {
    stream.close();
    batcher.dispose();
    frames.dispose();
  }
  const frameCount = stream.framesDelivered;
  onProgress?.(frameCount, stream.expectedFrames);

  const regions = log.toRegionTaskScores();
  const result = frameScores(regions, { frameCount, tasks, halfSpan: settings.halfSpan });
  holdEdges(result.region, [result.frame, ...tasks.map((task) => result.perTask[task]!)]);
  return {
    frameCount,
    fps: stream.deliveredFps ?? stream.fps,
    width: stream.width,
    height: stream.height,
    tasks: result.tasks,
    scores: smoothScores(result.frame, { sigma: settings.sigma, ...(options.taps !== undefined ? { taps: options.taps } : {}) }),
    raw: result.frame,
    perTask: result.perTask,
    regionsScored: log.count,
    windows,
    stride: settings.stride,
    halfSpan: settings.halfSpan,
    seconds: (performance.now() - began) / 1000,
  };
}

interface Workers {
  frames: WindowFrameTensors;
  batcher: TubeBatcher;
  windows: { motion: number; grid: number };
}

async function scoreWindows(
  stream: FrameStream,
  settings: Resolved,
  spec: { size: number; channels: number },
  { frames, batcher, windows }: Workers,
  control: ScoreVideoControl,
): Promise<void> {
  const { signal, onProgress } = control;
  const throttle = new StepThrottle(control.progressIntervalMs ?? STEP_MESSAGE_INTERVAL_MS);
  const finder = new VideoRegionFinder(stream.width, stream.height, {
    regionWidth: settings.regionWidth,
    ...(settings.regions ? { regions: settings.regions } : {}),
  });
  for await (const window of slidingWindows(finder.primed(stream), { length: TUBE_FRAMES, stride: settings.stride })) {
    if (signal?.aborted) throw cancelled();
    const found = finder.find(window.frames);
    windows[found.source === 'grid' ? 'grid' : 'motion']++;
    frames.releaseBefore(window.start);
    if (await batcher.add(frames.cropSamples(window.frames, found.boxes, spec.size, spec.channels), window.centre)) {
      // A forward pass is long: let an abort or a progress reader in between batches.
      await yieldToEventLoop();
    }
    if (onProgress && throttle.ready()) onProgress(stream.framesDelivered, stream.expectedFrames);
  }
}
