import type { PixelBox } from './pixel-box.js';
import { checkRgbWindow, type RgbWindow } from './tube-crop.js';
import { windowRegions, type WindowRegionOptions, type WindowRegions } from './window-regions.js';

/** The rgb frames a window's tubes are cut from, when more than the window's own (see FollowSpan). */
export interface RgbFollowSpan {
  frames: readonly Uint8Array[];
  middle: number;
}
import { luma256At } from '../../../imaging/grey.js';

export interface DownscaledRegionOptions {
  /**
   * Regions are found on a grey copy at most this wide (shrunk by a whole factor): at 320 px a window
   * takes ~50 ms, too slow for scoring at 10× real time. Region options (sizes, areas) are in its pixels.
   */
  regionWidth?: number;
  regions?: WindowRegionOptions;
  /**
   * Grey copies by frame, so a frame shared by overlapping windows is converted once. Pass the same map
   * for a whole video; entries go when the frames do.
   */
  grayCache?: WeakMap<Uint8Array, Uint8Array>;
}

export const DOWNSCALED_REGION_DEFAULTS = { regionWidth: 160 } as const;

export interface FrameRegions extends WindowRegions {
  /** Boxes and paths in the full frame's pixels. */
  boxes: PixelBox[];
  /** The whole factor the frame was shrunk by for region finding (1 = not shrunk). */
  factor: number;
}

/** The smallest whole factor that brings `width` to at most `regionWidth`. */
export function shrinkFactor(width: number, regionWidth: number): number {
  if (!Number.isInteger(regionWidth) || regionWidth < 1) throw new Error(`regions: regionWidth must be a whole number ≥ 1, got ${regionWidth}`);
  return Math.max(1, Math.ceil(width / regionWidth));
}

/**
 * Luma (BT.601, rounded down as rgbToGray does) of an rgb24 frame averaged over factor × factor blocks: ⌊width/factor⌋ ×
 * ⌊height/factor⌋ pixels (the last partial blocks are left out, so every box maps back inside the frame).
 */
export function shrunkGray(rgb: Uint8Array, width: number, height: number, factor: number): Uint8Array {
  const w = Math.floor(width / factor);
  const h = Math.floor(height / factor);
  if (w < 1 || h < 1) throw new Error(`regions: a ${width}×${height} frame shrunk by ${factor} has no pixels left`);
  const sums = new Uint32Array(w);
  const out = new Uint8Array(w * h);
  const divisor = factor * factor * 256;
  for (let by = 0; by < h; by++) {
    sums.fill(0);
    for (let y = by * factor; y < (by + 1) * factor; y++) {
      let j = y * width * 3;
      for (let bx = 0; bx < w; bx++) {
        let sum = 0;
        for (let k = 0; k < factor; k++, j += 3) sum += luma256At(rgb, j);
        sums[bx]! += sum;
      }
    }
    for (let bx = 0; bx < w; bx++) out[by * w + bx] = Math.floor(sums[bx]! / divisor);
  }
  return out;
}

const scaleBox = (box: PixelBox, factor: number): PixelBox => ({
  x: box.x * factor,
  y: box.y * factor,
  width: box.width * factor,
  height: box.height * factor,
});

/** The grey copy of a frame at a factor, taken from the cache when it holds one of the right size. */
export function cachedShrunkGray(rgb: Uint8Array, width: number, height: number, factor: number, cache?: WeakMap<Uint8Array, Uint8Array>): Uint8Array {
  const cached = cache?.get(rgb);
  if (cached && cached.length === Math.floor(width / factor) * Math.floor(height / factor)) return cached;
  const gray = shrunkGray(rgb, width, height, factor);
  cache?.set(rgb, gray);
  return gray;
}

/**
 * The regions to crop in one window of full-size frames: moving objects against `background` (a grey
 * picture at the shrunk size, see VideoRegionFinder), else moving regions, else the grid fallback, all
 * found on a shrunk grey copy, their boxes scaled back to the frame's pixels (squares stay square, inside it).
 * Objects are followed through `span`'s frames (default: the window's own).
 */
export function regionsForWindow(window: RgbWindow, options: DownscaledRegionOptions = {}, background: Uint8Array | null = null, span?: RgbFollowSpan): FrameRegions {
  checkRgbWindow(window);
  if (span) checkRgbWindow({ ...window, frames: span.frames });
  const factor = shrinkFactor(window.width, options.regionWidth ?? DOWNSCALED_REGION_DEFAULTS.regionWidth);
  const gray = (rgb: Uint8Array): Uint8Array => cachedShrunkGray(rgb, window.width, window.height, factor, options.grayCache);
  const small = windowRegions(
    { frames: window.frames.map(gray), width: Math.floor(window.width / factor), height: Math.floor(window.height / factor) },
    options.regions,
    background,
    span ? { frames: span.frames.map(gray), middle: span.middle } : undefined,
  );
  return {
    ...small,
    boxes: small.boxes.map((box) => scaleBox(box, factor)),
    paths: small.paths.map((path) => path.map((box) => scaleBox(box, factor))),
    factor,
  };
}
