import { BackgroundModel, type BackgroundOptions } from '../../../imaging/background-model.js';
import {
  cachedShrunkGray,
  DOWNSCALED_REGION_DEFAULTS,
  regionsForWindow,
  shrinkFactor,
  type FrameRegions,
} from './downscaled-regions.js';
import type { WindowRegionOptions } from './window-regions.js';

/** A decoded frame: its index in decode order and its rgb24 bytes. */
export interface IndexedFrame {
  index: number;
  rgb: Uint8Array;
}

export interface VideoRegionOptions {
  /** Width of the grey copy regions are found on (see DownscaledRegionOptions). */
  regionWidth?: number;
  regions?: WindowRegionOptions;
  background?: BackgroundOptions;
}

/**
 * Finds the regions of one video's windows in decode order. It learns the video's still background
 * from the frames it is shown (a running median of past samples, bounded memory) and finds moving
 * objects against it; until it has seen enough frames, and in windows where no object moves, it falls
 * back to moving regions and then the grid. Training and scoring both use it, so a model is scored on
 * the same kind of regions it learnt from.
 */
export class VideoRegionFinder {
  private readonly factor: number;
  // Grey copies are keyed by the frame's bytes: they go when the window drops the frame.
  private readonly grayCache = new WeakMap<Uint8Array, Uint8Array>();
  private readonly background: BackgroundModel;

  constructor(
    private readonly width: number,
    private readonly height: number,
    private readonly options: VideoRegionOptions = {},
  ) {
    this.factor = shrinkFactor(width, options.regionWidth ?? DOWNSCALED_REGION_DEFAULTS.regionWidth);
    const pixels = Math.floor(width / this.factor) * Math.floor(height / this.factor);
    this.background = new BackgroundModel(pixels, options.background);
  }

  /**
   * The frames unchanged, but the first few (enough for a background: 41 by default) are read ahead and
   * shown to the background before any is passed on. Without it, the first seconds of every video would
   * be cut into frame-difference regions, unlike the rest. Holds those frames once, at the start.
   */
  async *primed<T extends IndexedFrame>(frames: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
    const wanted = this.background.warmUpFrames;
    // Dropped once passed on, so the frames read ahead are not held for the rest of the video.
    let ahead: T[] | null = [];
    for await (const frame of frames) {
      if (ahead === null) {
        yield frame;
        continue;
      }
      ahead.push(frame);
      if (ahead.length === wanted) {
        const held: T[] = ahead;
        ahead = null;
        this.learn(held);
        yield* held;
      }
    }
    // A video shorter than the warm-up: what there is.
    if (ahead !== null) {
      this.learn(ahead);
      yield* ahead;
    }
  }

  private learn(frames: readonly IndexedFrame[]): void {
    const { width, height, factor, grayCache } = this;
    for (const frame of frames) this.background.offer(frame.index, () => cachedShrunkGray(frame.rgb, width, height, factor, grayCache));
  }

  /**
   * The regions of a window of consecutive frames (the background learns from them first), each object
   * followed through `span` (the frames its tubes are cut from, `span.frames[span.middle]` being the
   * window's middle frame; default the window itself).
   */
  find(frames: readonly IndexedFrame[], span?: { frames: readonly IndexedFrame[]; middle: number }): FrameRegions {
    this.learn(frames);
    const { width, height, grayCache } = this;
    return regionsForWindow(
      { frames: frames.map((f) => f.rgb), width, height },
      { regionWidth: this.options.regionWidth ?? DOWNSCALED_REGION_DEFAULTS.regionWidth, grayCache, ...(this.options.regions ? { regions: this.options.regions } : {}) },
      this.background.current(),
      span ? { frames: span.frames.map((f) => f.rgb), middle: span.middle } : undefined,
    );
  }
}
