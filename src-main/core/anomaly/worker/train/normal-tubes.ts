/**
 * Training tubes from footage marked normal: every interval is streamed (bounded memory), sampled to
 * ~sampleFps frames a second as scoring samples it (every k-th frame, so the model learns the temporal
 * footprint it is scored on), cut into source windows of L sampled frames (19: room for the faster-playback samples' skips), regions are found on each
 * window's middle 7 frames (moving objects against the video's background, else moving regions, else the
 * fixed grid; see VideoRegionFinder), and each region is cropped over all L
 * frames at S × S, an object's crop following it through them (see follow-objects.ts). A seeded reservoir keeps at most `maxTubes` of them, as bytes, however long the footage.
 */
import * as tf from '@tensorflow/tfjs';
import { ANOMALY_SETTINGS_DEFAULTS } from '../../../../shared/anomaly.js';
import { ApiError } from '../../../../shared/errors.js';
import type { MediaTools } from '../../../media/media-tools.js';
import { Rng } from '../../../engine/random.js';
import { openFrameStream, type VideoFrame } from '../frames/frame-stream.js';
import { slidingWindows } from '../frames/sliding-windows.js';
import { everyKthFrame } from '../frames/sampled-frames.js';
import { FALLBACK_FPS, frameStepFor, wholeFramesOf } from '../../../../shared/anomaly-time.js';
import type { PixelBox } from '../regions/pixel-box.js';
import { cropTubes, type TubeBoxes } from '../regions/tube-crop.js';
import { noFollowCounts, type FollowCounts } from '../regions/follow-objects.js';
import { VideoRegionFinder, type VideoRegionOptions } from '../regions/video-regions.js';
import { taskSourceFrames } from '../tasks/task-samples.js';
import type { NormalInterval } from '../../jobs.js';
import { TUBE_FRAMES } from '../tasks/tube-batch.js';
import { copyAugmented, IDENTITY_AUGMENT, type TubeAugment } from './tube-augment.js';
import { BT601_LUMA } from '../../../imaging/grey.js';

/** Footage marked normal: a whole video, or frames [startFrame, endFrame) of it (decode indices). */

export interface NormalTubeOptions {
  /** S: tubes are S × S pixels. */
  size: number;
  /** 3 = RGB, 1 = luma (BT.601). */
  channels: 1 | 3;
  /** At most this many tubes are kept (a uniform sample of all the footage's tubes). */
  maxTubes: number;
  seed: number;
  /** L: frames per source window (odd); default taskSourceFrames() = 19. */
  sourceFrames?: number;
  /** Frames a second to keep: every k-th decoded frame, k = max(1, round(fps / sampleFps)); 0 = every frame. */
  sampleFps?: number;
  /** Seconds between the starts of neighbouring source windows (rounded to whole sampled frames). */
  strideSeconds?: number;
  /** Video frames between source windows (rounded to whole sampled frames): overrides strideSeconds. */
  stride?: number;
  /** Frames are decoded with this longer side. */
  longSide?: number;
  regions?: VideoRegionOptions['regions'];
  regionWidth?: number;
  background?: VideoRegionOptions['background'];
  tools?: MediaTools;
  signal?: AbortSignal;
  /** Called after every source window. */
  onProgress?: (progress: NormalTubeProgress) => void;
}

/** The run settings' defaults (one place: shared/anomaly.ts). */
export const NORMAL_TUBE_DEFAULTS = {
  sampleFps: ANOMALY_SETTINGS_DEFAULTS.sampleFps,
  strideSeconds: ANOMALY_SETTINGS_DEFAULTS.windowStrideSeconds,
  longSide: ANOMALY_SETTINGS_DEFAULTS.longSide,
  maxTubes: ANOMALY_SETTINGS_DEFAULTS.maxTubes,
} as const;

export interface NormalTubeProgress {
  /** 0-based index of the interval being read. */
  interval: number;
  intervals: number;
  /** Video frames of this interval read so far, and how many it should have (null when the header does not say). */
  frames: number;
  expectedFrames: number | null;
  tubesSeen: number;
  tubesKept: number;
}

/** Where a kept tube came from. */
export interface TubeOrigin {
  file: string;
  /** The decode index of the source window's middle frame. */
  centreFrame: number;
  /** The region's square in the middle frame. */
  box: PixelBox;
  source: 'object' | 'motion' | 'grid';
}

export interface NormalTubes {
  /** One tube per entry: L × S × S × C bytes, frame-major, interleaved channels. */
  tubes: Uint8Array[];
  origins: TubeOrigin[];
  frames: number;
  size: number;
  channels: 1 | 3;
  /** Tubes found in all the footage (the reservoir kept `tubes.length` of them). */
  seen: number;
  windows: { motion: number; grid: number };
  /** Object regions' tubes by how they were cut (all the footage's, not only the kept ones). */
  follow: FollowCounts;
}

function checkWhole(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new Error(`normal tubes: ${name} must be a whole number ≥ ${min}, got ${value}`);
}

function checkInterval(interval: NormalInterval, i: number): { start: number; end: number } {
  const start = interval.startFrame ?? 0;
  const end = interval.endFrame ?? Number.POSITIVE_INFINITY;
  if (!Number.isInteger(start) || start < 0) throw new Error(`normal tubes: interval ${i} (${interval.file}) starts at frame ${start}, not a whole number ≥ 0`);
  if (end !== Number.POSITIVE_INFINITY && (!Number.isInteger(end) || end <= start)) {
    throw new Error(`normal tubes: interval ${i} (${interval.file}) ends at frame ${end}, which must be a whole number after its start ${start}`);
  }
  return { start, end };
}

/** The interval's frames renumbered from 0; leaving the loop at `end` stops (and kills) the decoder. */
async function* intervalFrames(frames: AsyncIterable<VideoFrame>, start: number, end: number): AsyncGenerator<VideoFrame, void, undefined> {
  for await (const frame of frames) {
    if (frame.index >= end) return;
    if (frame.index >= start) yield { ...frame, index: frame.index - start };
  }
}

/**
 * Algorithm R over all tubes in the order they are found: tube number `seen` is kept with probability
 * k / (seen + 1), replacing a uniformly chosen one. Slots are drawn before cropping, so a full
 * reservoir crops only the few tubes it keeps.
 */
class TubeReservoir {
  readonly tubes: Uint8Array[] = [];
  readonly origins: TubeOrigin[] = [];
  seen = 0;

  constructor(
    private readonly capacity: number,
    private readonly rng: Rng,
  ) {}

  /** For each candidate, the slot it goes to (null = dropped); later candidates may take an earlier one's slot. */
  draw(count: number): (number | null)[] {
    return Array.from({ length: count }, () => {
      const index = this.seen++;
      if (index < this.capacity) return index;
      const j = this.rng.int(index + 1);
      return j < this.capacity ? j : null;
    });
  }

  put(slot: number, tube: Uint8Array, origin: TubeOrigin): void {
    this.tubes[slot] = tube;
    this.origins[slot] = origin;
  }
}

/** Crops the boxes over the whole window as bytes, one Uint8Array per box. */
async function cropTubeBytes(frames: readonly Uint8Array[], width: number, height: number, boxes: readonly TubeBoxes[], size: number, channels: 1 | 3): Promise<Uint8Array[]> {
  const bytes = tf.tidy(() => {
    let tubes: tf.Tensor = cropTubes({ frames, width, height }, boxes, size);
    if (channels === 1) tubes = tf.sum(tf.mul(tubes, tf.tensor1d([...BT601_LUMA])), -1, true);
    return tf.clipByValue(tf.round(tf.mul(tubes, 255)), 0, 255).toInt();
  });
  try {
    // Read asynchronously: a GPU backend (webgpu) cannot read back synchronously in Node.
    const values = await bytes.data();
    const per = values.length / boxes.length;
    return boxes.map((_, n) => Uint8Array.from(values.subarray(n * per, (n + 1) * per)));
  } finally {
    bytes.dispose();
  }
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ApiError('CANCELLED', 'Cancelled.');
}

/** Collects tubes from the intervals, in order; the same footage, options and seed give the same tubes. */
export async function collectNormalTubes(intervals: readonly NormalInterval[], options: NormalTubeOptions): Promise<NormalTubes> {
  const frames = options.sourceFrames ?? taskSourceFrames();
  const sampleFps = options.sampleFps ?? NORMAL_TUBE_DEFAULTS.sampleFps;
  const strideSeconds = options.strideSeconds ?? NORMAL_TUBE_DEFAULTS.strideSeconds;
  checkWhole('size', options.size, 1);
  checkWhole('maxTubes', options.maxTubes, 1);
  if (options.stride !== undefined) checkWhole('stride', options.stride, 1);
  if (!(strideSeconds > 0 && Number.isFinite(strideSeconds))) throw new Error(`normal tubes: strideSeconds must be a number > 0, got ${strideSeconds}`);
  if (!(sampleFps >= 0 && Number.isFinite(sampleFps))) throw new Error(`normal tubes: sampleFps must be a number ≥ 0, got ${sampleFps}`);
  checkWhole('sourceFrames', frames, TUBE_FRAMES);
  if (frames % 2 === 0) throw new Error(`normal tubes: sourceFrames must be odd (a tube is about its middle frame), got ${frames}`);
  if (options.channels !== 1 && options.channels !== 3) throw new Error(`normal tubes: channels must be 1 or 3, got ${String(options.channels)}`);
  if (intervals.length === 0) throw new Error('normal tubes: no normal footage was given');
  const ranges = intervals.map(checkInterval);

  const reservoir = new TubeReservoir(options.maxTubes, new Rng(options.seed));
  const windows = { motion: 0, grid: 0 };
  const follow = noFollowCounts();
  const middleFrom = (frames - TUBE_FRAMES) / 2;
  for (const [i, interval] of intervals.entries()) {
    throwIfCancelled(options.signal);
    const { start, end } = ranges[i]!;
    const stream = await openFrameStream(interval.file, {
      longSide: options.longSide ?? NORMAL_TUBE_DEFAULTS.longSide,
      ...(options.tools ? { tools: options.tools } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const expected = stream.expectedFrames === null ? null : Math.max(0, Math.min(end, stream.expectedFrames) - start);
    const finder = new VideoRegionFinder(stream.width, stream.height, {
      ...(options.regions ? { regions: options.regions } : {}),
      ...(options.regionWidth !== undefined ? { regionWidth: options.regionWidth } : {}),
      ...(options.background ? { background: options.background } : {}),
    });
    const k = frameStepFor(stream.fps, sampleFps);
    const stride = options.stride !== undefined ? Math.max(1, Math.round(options.stride / k)) : wholeFramesOf(strideSeconds, (stream.fps ?? FALLBACK_FPS) / k);
    const sampled = everyKthFrame(intervalFrames(stream, start, end), k);
    for await (const window of slidingWindows(finder.primed(sampled), { length: frames, stride })) {
      throwIfCancelled(options.signal);
      const rgb = window.frames.map((f) => f.rgb);
      const { width, height } = stream;
      // Objects are found on the middle 7 frames, as scoring finds them, and followed through all L.
      const found = finder.find(window.frames.slice(middleFrom, middleFrom + TUBE_FRAMES), { frames: window.frames, middle: window.frames.length >> 1 });
      windows[found.source === 'grid' ? 'grid' : 'motion']++;
      for (const kind of ['tracked', 'union', 'middle'] as const) follow[kind] += found.follow[kind];
      const slots = reservoir.draw(found.boxes.length);
      const kept = found.boxes.flatMap((box, n) => (slots[n] === null ? [] : [{ box, path: found.paths[n]!, slot: slots[n]! }]));
      if (kept.length > 0) {
        const tubes = await cropTubeBytes(rgb, width, height, kept.map((k) => k.path), options.size, options.channels);
        kept.forEach(({ box, slot }, n) => {
          reservoir.put(slot, tubes[n]!, { file: interval.file, centreFrame: start + window.centre * k, box, source: found.source });
        });
      }
      options.onProgress?.({
        interval: i,
        intervals: intervals.length,
        frames: (window.start + frames) * k,
        expectedFrames: expected,
        tubesSeen: reservoir.seen,
        tubesKept: reservoir.tubes.length,
      });
    }
  }
  return {
    tubes: reservoir.tubes,
    origins: reservoir.origins,
    frames,
    size: options.size,
    channels: options.channels,
    seen: reservoir.seen,
    windows,
    follow,
  };
}

/**
 * Tubes `indices` as a float32 batch [B, L, S, S, C] in 0..1; tube n varied by `augments[n]` (mirrored,
 * shifted, brightness; see tube-augment.ts), unchanged where there is none. The caller disposes it.
 */
export function normalTubeBatch(tubes: NormalTubes, indices: readonly number[], augments: readonly TubeAugment[] = []): tf.Tensor5D {
  if (indices.length === 0) throw new Error('normal tubes: a batch needs at least one tube');
  const per = tubes.frames * tubes.size * tubes.size * tubes.channels;
  const values = new Float32Array(indices.length * per);
  indices.forEach((index, n) => {
    const tube = tubes.tubes[index];
    if (tube === undefined) throw new Error(`normal tubes: there is no tube ${index} (${tubes.tubes.length} kept)`);
    const augment = augments[n] ?? IDENTITY_AUGMENT;
    if (augment === IDENTITY_AUGMENT) for (let k = 0; k < per; k++) values[n * per + k] = tube[k]! / 255;
    else copyAugmented(tube, values, n * per, tubes.size, tubes.channels, augment);
  });
  return tf.tensor5d(values, [indices.length, tubes.frames, tubes.size, tubes.size, tubes.channels]);
}
