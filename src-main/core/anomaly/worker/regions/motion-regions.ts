import { componentPixels, dilateSquare, labelComponents } from '../../../imaging/binary-mask.js';
import { checkGrayWindow, type GrayWindow } from './gray-window.js';
import { boxGap, squareBox, unionBox, type PixelBox } from './pixel-box.js';

export interface MotionRegionOptions {
  /** Grey levels a pixel must change by between neighbouring frames; omitted = from the window's noise. */
  threshold?: number;
  /** The automatic threshold is this many noise standard deviations of the frame difference... */
  noiseFactor?: number;
  /** ...but never below this many grey levels (a perfectly still, quantised picture has zero noise). */
  minThreshold?: number;
  /** Radius in pixels of the square dilation that joins the fragments of one moving thing. */
  dilation?: number;
  /** Changed pixels a blob needs in one frame pair to count as motion; omitted = 12 or 0.01 % of the frame. */
  minArea?: number;
  /**
   * Tubes closer than this share of the smaller one's longer side join. A plain object moving slowly changes
   * only its front and back edges, which would otherwise be two regions.
   */
  linkGap?: number;
  /** Context around the moving pixels, a share of the longer side added on each side of the square. */
  padding?: number;
  /** The smallest square side in pixels (capped at the frame's shorter side). */
  minSide?: number;
  /** At most this many regions per window, the ones with the most changed pixels. */
  maxRegions?: number;
}

export const MOTION_REGION_DEFAULTS = {
  noiseFactor: 4,
  minThreshold: 15,
  dilation: 2,
  linkGap: 0.5,
  padding: 0.25,
  minSide: 32,
  maxRegions: 16,
} as const;

/** One moving thing over the whole window (a tube). */
export interface MotionRegion {
  /** The square crop: the motion bounds squared, padded and kept inside the frame. */
  box: PixelBox;
  /** Bounds of the changed pixels over all frame pairs of the window. */
  motion: PixelBox;
  /** Changed pixels summed over the frame pairs. */
  changedPixels: number;
}

export interface MotionRegions {
  regions: MotionRegion[];
  /** The threshold used (given or automatic), in grey levels. */
  threshold: number;
  /** Robust estimate of the frame difference's noise σ (1.4826 × median |difference|). */
  noiseSigma: number;
}

interface ResolvedOptions {
  threshold: number | null;
  noiseFactor: number;
  minThreshold: number;
  dilation: number;
  minArea: number;
  linkGap: number;
  padding: number;
  minSide: number;
  maxRegions: number;
}

function checkNumber(name: string, value: number, min: number, integer: boolean): number {
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new Error(`motion regions: ${name} must be ${integer ? 'a whole number' : 'a number'} ≥ ${min}, got ${value}`);
  }
  return value;
}

function resolve(options: MotionRegionOptions, width: number, height: number): ResolvedOptions {
  const d = MOTION_REGION_DEFAULTS;
  return {
    threshold: options.threshold === undefined ? null : checkNumber('threshold', options.threshold, 0, false),
    noiseFactor: checkNumber('noiseFactor', options.noiseFactor ?? d.noiseFactor, 0, false),
    minThreshold: checkNumber('minThreshold', options.minThreshold ?? d.minThreshold, 0, false),
    dilation: checkNumber('dilation', options.dilation ?? d.dilation, 0, true),
    minArea: checkNumber('minArea', options.minArea ?? Math.max(12, Math.round(0.0001 * width * height)), 1, true),
    linkGap: checkNumber('linkGap', options.linkGap ?? d.linkGap, 0, false),
    padding: checkNumber('padding', options.padding ?? d.padding, 0, false),
    minSide: checkNumber('minSide', options.minSide ?? d.minSide, 1, true),
    maxRegions: checkNumber('maxRegions', options.maxRegions ?? d.maxRegions, 1, true),
  };
}

/** |b − a| per pixel of every neighbouring frame pair, and a histogram of all of them. */
function frameDifferences(window: GrayWindow): { diffs: Uint8Array[]; histogram: Float64Array } {
  const histogram = new Float64Array(256);
  const diffs: Uint8Array[] = [];
  for (let t = 1; t < window.frames.length; t++) {
    const a = window.frames[t - 1]!;
    const b = window.frames[t]!;
    const diff = new Uint8Array(a.length);
    for (let i = 0; i < a.length; i++) {
      const d = Math.abs(b[i]! - a[i]!);
      diff[i] = d;
      histogram[d]!++;
    }
    diffs.push(diff);
  }
  return { diffs, histogram };
}

function histogramMedian(histogram: Float64Array): number {
  let total = 0;
  for (const count of histogram) total += count;
  let seen = 0;
  for (let v = 0; v < histogram.length; v++) {
    seen += histogram[v]!;
    if (seen >= total / 2) return v;
  }
  return histogram.length - 1;
}

/**
 * Moving regions of a window of frames (SSMTL's object tracks, without a detector): per neighbouring
 * frame pair, pixels that changed by more than the threshold, dilated so one object's fragments join,
 * split into 8-connected blobs; blobs with at least `minArea` changed pixels are motion. The motion of
 * all pairs is then joined the same way, so one object's footprint over the whole window is one tube;
 * tubes close to each other join too. Each tube's changed pixels' bounds are squared, padded and kept
 * inside the frame.
 */
export function findMotionRegions(window: GrayWindow, options: MotionRegionOptions = {}): MotionRegions {
  checkGrayWindow(window);
  const { width, height } = window;
  const o = resolve(options, width, height);
  const { diffs, histogram } = frameDifferences(window);
  // For Gaussian noise the median |difference| is 0.6745 σ; moving pixels are a minority, so the median ignores them.
  const noiseSigma = 1.4826 * histogramMedian(histogram);
  const threshold = o.threshold ?? Math.max(o.minThreshold, o.noiseFactor * noiseSigma);

  const changed = new Uint8Array(width * height);
  const footprint = new Uint8Array(width * height);
  const changedCount = new Uint32Array(width * height);
  for (const diff of diffs) {
    const raw = new Uint8Array(diff.length);
    let any = 0;
    for (let i = 0; i < diff.length; i++) {
      const bit = diff[i]! > threshold ? 1 : 0;
      raw[i] = bit;
      any |= bit;
    }
    if (any === 0) continue;
    const grown = dilateSquare(raw, width, height, o.dilation);
    const blobs = labelComponents(grown, width, height);
    const kept = componentPixels(blobs, raw, width).map((s) => s.pixels >= o.minArea);
    for (let i = 0; i < raw.length; i++) {
      const label = blobs.labels[i]!;
      if (label === 0 || kept[label - 1] !== true) continue;
      footprint[i] = 1;
      if (raw[i] === 1) {
        changed[i] = 1;
        changedCount[i]!++;
      }
    }
  }

  const tubes = labelComponents(footprint, width, height);
  const stats = componentPixels(tubes, changed, width);
  const totals = new Float64Array(tubes.count);
  for (let i = 0; i < changedCount.length; i++) {
    const label = tubes.labels[i]!;
    if (label !== 0) totals[label - 1]! += changedCount[i]!;
  }
  const tracks: Track[] = [];
  stats.forEach((s, k) => {
    if (s.pixels === 0) return;
    tracks.push({ motion: { x: s.minX, y: s.minY, width: s.maxX - s.minX + 1, height: s.maxY - s.minY + 1 }, changedPixels: totals[k]! });
  });
  const regions = linkNearTracks(tracks, o.linkGap).map((t) => ({ ...t, box: squareBox(t.motion, width, height, o) }));
  // Components come in raster order, so the sort is deterministic among equal counts.
  regions.sort((a, b) => b.changedPixels - a.changedPixels);
  return { regions: regions.slice(0, o.maxRegions), threshold, noiseSigma };
}

interface Track {
  motion: PixelBox;
  changedPixels: number;
}

const longerSide = (box: PixelBox): number => Math.max(box.width, box.height);

/** Joins tracks whose boxes lie within `share` × the smaller one's longer side, until none do. */
function linkNearTracks(tracks: Track[], share: number): Track[] {
  const out = [...tracks];
  for (let joined = true; joined; ) {
    joined = false;
    for (let i = 0; i < out.length && !joined; i++) {
      for (let j = i + 1; j < out.length && !joined; j++) {
        const a = out[i]!;
        const b = out[j]!;
        if (boxGap(a.motion, b.motion) <= share * Math.min(longerSide(a.motion), longerSide(b.motion))) {
          out[i] = { motion: unionBox(a.motion, b.motion), changedPixels: a.changedPixels + b.changedPixels };
          out.splice(j, 1);
          joined = true;
        }
      }
    }
  }
  return out;
}
