/**
 * Scores one video with a trained SSMTL model, streaming it: ffmpeg decodes frames into a bounded queue,
 * 7-frame windows slide over them with a stride, each window's regions (moving objects against the video's
 * background, as in training; see VideoRegionFinder) are cut into tubes that follow each object through the
 * window and scored in batches, and only
 * the regions' few numbers stay behind. At the end the per-video normalisation, frame scores and
 * smoothing turn them into one curve per frame.
 */
import type * as tf from '@tensorflow/tfjs';
import { ANOMALY_SETTINGS_DEFAULTS, anomalyScoreOptionsSchema } from '../../../../shared/anomaly.js';
import { ApiError } from '../../../../shared/errors.js';
import type { MediaTools } from '../../../media/media-tools.js';
import { StepThrottle, STEP_MESSAGE_INTERVAL_MS, yieldToEventLoop } from '../../../engine/worker/step-throttle.js';
import { openFrameStream, type FrameStream, type VideoFrame } from '../frames/frame-stream.js';
import { slidingWindows } from '../frames/sliding-windows.js';
import { anomalySpecOf } from '../model/anomaly-model.js';
import { boxScale, frameBoxes } from './frame-boxes.js';
import { holdEdgeRegions, holdEdges } from './hold-edges.js';
import { RegionScoreLog } from './region-score-log.js';
import type { RegionForward } from './forward/region-forward.js';
import { windowTubes, type WindowTubes } from './window-tubes.js';
import { DOWNSCALED_REGION_DEFAULTS } from '../regions/downscaled-regions.js';
import { VideoRegionFinder } from '../regions/video-regions.js';
import type { WindowRegionOptions } from '../regions/window-regions.js';
import { noFollowCounts, type FollowCounts } from '../regions/follow-objects.js';
import { ANOMALY_TASKS, frameScores } from './frame-scores.js';
import { smoothScores } from './smooth.js';
import { everyKthFrame } from '../frames/sampled-frames.js';
import { expandSampled, nearestSampledFrame } from './expand-sampled.js';
import { DEFAULT_SAMPLE_FPS, FALLBACK_FPS, sigmaFramesFor, wholeFramesOf, type AnomalySampling } from '../../../../shared/anomaly-time.js';
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
   * Frames a second the model sees (default 10, the rate it was tuned on; 0 = every frame): every k-th
   * decoded frame is kept, k = max(1, round(header fps / sampleFps)), and windows slide over those.
   */
  sampleFps?: number;
  /**
   * Seconds between the starts of neighbouring 7-frame windows (default 0.6 s, 6 sampled frames at 10 fps:
   * neighbours share one frame, so every frame-to-frame change, a skip or a turn, is inside some window,
   * at less than half the cost of 3; σ = 0.8 s smoothing blurs more than the step). The model's forward
   * pass is most of the time, so this is the speed knob.
   */
  strideSeconds?: number;
  /** Video frames between windows (rounded to whole sampled frames): overrides strideSeconds. */
  stride?: number;
  /** A window's regions also score the sampled frames this far from its centre (default ⌊stride / 2⌋ sampled frames, so every frame is covered). */
  halfSpan?: number;
  /** Width of the grey copy regions are found on (default 160 px). */
  regionWidth?: number;
  regions?: WindowRegionOptions;
  /** Regions per forward pass (default 32). */
  batchSize?: number;
  /** Temporal Gaussian σ of the smoothed curve in seconds (default 0.8 s; 0 = none), converted at the delivered rate. */
  sigmaSeconds?: number;
  /** σ in video frames: overrides sigmaSeconds. */
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

/**
 * Decoded frames ffmpeg may hold ahead of the scorer, in bytes (~190 frames of 320×180, 7 s at 25 fps): with
 * only a few frames it stalls whenever a batch is cut and scored, and decoding and the model take turns
 * instead of sharing the cores (docs/benchmarks.md, anomaly scoring).
 */
export const SCORE_READ_AHEAD_BYTES = 32 * 1024 * 1024;

/** Stride, σ, sampling and frame size are the app's scoring and run defaults (one place: shared/anomaly.ts). */
export const SCORE_VIDEO_DEFAULTS = {
  longSide: ANOMALY_SETTINGS_DEFAULTS.longSide,
  sampleFps: ANOMALY_SETTINGS_DEFAULTS.sampleFps,
  strideSeconds: SCORE_OPTION_DEFAULTS.strideSeconds,
  sigmaSeconds: SCORE_OPTION_DEFAULTS.sigmaSeconds,
  batchSize: 32,
} as const;

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
  sampleFps: number;
  batchSize: number;
  regionWidth: number;
  regions: WindowRegionOptions | undefined;
}

function checkNumber(name: string, value: number | undefined, min: number, whole: boolean): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < min || (whole && !Number.isInteger(value))) {
    throw new Error(`anomaly scoring: ${name} must be a ${whole ? 'whole number' : 'number'} ≥ ${min}, got ${value}`);
  }
}

function resolveOptions(options: ScoreVideoOptions): Resolved {
  checkNumber('stride', options.stride, 1, true);
  checkNumber('strideSeconds', options.strideSeconds, Number.MIN_VALUE, false);
  checkNumber('halfSpan', options.halfSpan, 0, true);
  checkNumber('sigma', options.sigma, 0, false);
  checkNumber('sigmaSeconds', options.sigmaSeconds, 0, false);
  checkNumber('sampleFps', options.sampleFps, 0, false);
  return {
    longSide: options.longSide ?? SCORE_VIDEO_DEFAULTS.longSide,
    sampleFps: options.sampleFps ?? DEFAULT_SAMPLE_FPS,
    batchSize: options.batchSize ?? SCORE_VIDEO_DEFAULTS.batchSize,
    regionWidth: options.regionWidth ?? DOWNSCALED_REGION_DEFAULTS.regionWidth,
    regions: options.regions,
  };
}

/** The video's windows in sampled frames: every k-th frame (from the header's rate, known before decoding), `stride` sampled frames apart. */
interface WindowPlan {
  k: number;
  /** Sampled frames between windows, and the sampled frames a window covers either side of its centre. */
  stride: number;
  halfSpan: number;
  /** The rate the stride was set at: header fps / k (FALLBACK_FPS when the header says none). */
  sampledFps: number;
}

/** `k`: the stream's frame step (frameStepFor of the header's rate and the sample rate). */
function planWindows(options: ScoreVideoOptions, k: number, headerFps: number | null): WindowPlan {
  const sampledFps = (headerFps !== null && headerFps > 0 ? headerFps : FALLBACK_FPS) / k;
  const stride =
    options.stride !== undefined
      ? Math.max(1, Math.round(options.stride / k))
      : wholeFramesOf(options.strideSeconds ?? SCORE_VIDEO_DEFAULTS.strideSeconds, sampledFps);
  return { k, stride, halfSpan: options.halfSpan ?? Math.floor(stride / 2), sampledFps };
}

/** What was sampled and used, in video frames and seconds; σ at the rate the decoder really delivered. */
function samplingOf(options: ScoreVideoOptions, plan: WindowPlan, fps: number | null): AnomalySampling {
  const sigmaFrames = sigmaFramesFor({ sigmaSeconds: options.sigmaSeconds ?? SCORE_VIDEO_DEFAULTS.sigmaSeconds, sigma: options.sigma }, fps);
  const seconds = (frames: number) => (fps === null ? null : frames / fps);
  return {
    fps,
    frameStep: plan.k,
    sampledFps: fps === null ? null : fps / plan.k,
    strideFrames: plan.stride * plan.k,
    strideSeconds: seconds(plan.stride * plan.k),
    // A sampled frame stands for the video frames nearest it: up to ⌊k / 2⌋ either side.
    halfSpanFrames: plan.halfSpan * plan.k + Math.floor(plan.k / 2),
    sigmaFrames,
    sigmaSeconds: seconds(sigmaFrames),
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
    bufferBytes: SCORE_READ_AHEAD_BYTES,
    // ffmpeg drops the frames between the sampled ones before scaling and piping them
    sampleFps: settings.sampleFps,
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
  const tubes = windowTubes({
    model,
    spec,
    width: stream.width,
    height: stream.height,
    log,
    batchSize: settings.batchSize,
    teacher,
    ...(options.forward ? { forward: options.forward } : {}),
  });
  const windows = { motion: 0, grid: 0 };
  const plan = planWindows(options, stream.frameStep, stream.fps);
  let sampledCount = 0;
  const follow = noFollowCounts();
  try {
    sampledCount = await scoreWindows(stream, settings, plan, { tubes, windows, follow }, control);
    if (signal?.aborted) throw cancelled();
    await tubes.flush();
  } finally {
    stream.close();
    tubes.dispose();
  }
  const frameCount = stream.framesDecoded;
  onProgress?.(frameCount, stream.expectedFrames);

  const regions = log.toRegionTaskScores();
  // Region centres are sampled frames: the curves are made over those, then spread to every video frame.
  const result = frameScores(regions, { frameCount: sampledCount, tasks, halfSpan: plan.halfSpan });
  holdEdges(result.region, [result.frame, ...tasks.map((task) => result.perTask[task]!)]);
  const toVideo = nearestSampledFrame(plan.k, sampledCount, frameCount);
  const raw = expandSampled(result.frame, toVideo);
  const perTask = Object.fromEntries(tasks.map((task) => [task, expandSampled(result.perTask[task]!, toVideo)]));
  const fps = stream.deliveredFps ?? stream.fps;
  const sampling = samplingOf(options, plan, fps);
  // The displayed size is fractional for non-square pixels; whole pixels are what a player reports.
  // Each video frame takes the region of its nearest sampled frame, as its score does.
  const picture = { width: Math.round(stream.display.width), height: Math.round(stream.display.height) };
  const videoRegions = expandSampled(holdEdgeRegions(result.region), toVideo);
  const boxes = { ...picture, frames: frameBoxes(videoRegions, log.toRegionBoxes(), boxScale(stream, picture)) };
  return {
    frameCount,
    fps,
    width: stream.width,
    height: stream.height,
    tasks: result.tasks,
    scores: smoothScores(raw, { sigma: sampling.sigmaFrames, ...(options.taps !== undefined ? { taps: options.taps } : {}) }),
    raw,
    perTask,
    boxes,
    regionsScored: log.count,
    windows,
    follow,
    stride: sampling.strideFrames,
    halfSpan: sampling.halfSpanFrames,
    sampling,
    seconds: (performance.now() - began) / 1000,
  };
}

interface Workers {
  tubes: WindowTubes;
  windows: { motion: number; grid: number };
  follow: FollowCounts;
}

/** Scores the sampled frames' windows; returns how many frames were sampled. */
async function scoreWindows(
  stream: FrameStream,
  settings: Resolved,
  plan: WindowPlan,
  { tubes, windows, follow }: Workers,
  control: ScoreVideoControl,
): Promise<number> {
  const { signal, onProgress } = control;
  const throttle = new StepThrottle(control.progressIntervalMs ?? STEP_MESSAGE_INTERVAL_MS);
  const finder = new VideoRegionFinder(stream.width, stream.height, {
    regionWidth: settings.regionWidth,
    ...(settings.regions ? { regions: settings.regions } : {}),
  });
  let sampled = 0;
  const counted = async function* (source: AsyncIterable<VideoFrame>): AsyncGenerator<VideoFrame, void, undefined> {
    for await (const frame of source) {
      sampled++;
      yield frame;
    }
  };
  for await (const window of slidingWindows(finder.primed(counted(everyKthFrame(stream, plan.k))), { length: TUBE_FRAMES, stride: plan.stride })) {
    if (signal?.aborted) throw cancelled();
    const found = finder.find(window.frames);
    windows[found.source === 'grid' ? 'grid' : 'motion']++;
    for (const kind of ['tracked', 'union', 'middle'] as const) follow[kind] += found.follow[kind];
    // Each object's tube follows it through the window, as training cut its tubes; the middle frame's box is what the output shows.
    await tubes.add(window.frames, found.paths, window.centre, found.boxes);
    // Frames read ahead come without a wait on ffmpeg, and a forward pass may run on another thread: let a
    // cancel or a progress reader in after every window, not only when this thread waits.
    await yieldToEventLoop();
    if (onProgress && throttle.ready()) onProgress(stream.framesDecoded, stream.expectedFrames);
  }
  return sampled;
}
