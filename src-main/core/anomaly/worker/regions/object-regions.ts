import { componentPixels, dilateSquare, labelComponents, type ComponentPixels, type Components } from '../../../imaging/binary-mask.js';
import { checkGrayWindow, type GrayWindow } from './gray-window.js';
import { squareBox, type PixelBox } from './pixel-box.js';

export interface ObjectRegionOptions {
  /** Grey levels a pixel of the middle frame must differ from the background by to be foreground. */
  foregroundThreshold?: number;
  /** Grey levels a pixel of the middle frame must differ from the window's first or last frame by to count as moving. */
  motionThreshold?: number;
  /** Radius in pixels of the square dilation that joins one object's fragments. */
  dilation?: number;
  /** Foreground pixels an object needs. */
  minArea?: number;
  /** Share of an object's foreground pixels that must move over the window (a still one is background the model has not caught up with). */
  minMovingShare?: number;
  /** Objects lower than this many pixels are left out (thin strips are edges and shadows, not things). */
  minHeight?: number;
  /** Context around the object, a share of the longer side added on each side of the square. */
  padding?: number;
  /** The smallest square side in pixels. */
  minSide?: number;
  /** At most this many regions per window, the largest objects. */
  maxRegions?: number;
}

// Measured on the pedestrian footage at 160 × 120 (docs/benchmarks.md): walkers are 8–40 px tall.
export const OBJECT_REGION_DEFAULTS = {
  foregroundThreshold: 25,
  motionThreshold: 20,
  dilation: 1,
  minArea: 25,
  minMovingShare: 0.1,
  minHeight: 8,
  padding: 0.1,
  minSide: 16,
  maxRegions: 16,
} as const;

type Resolved = { [K in keyof ObjectRegionOptions]-?: number };

function resolve(options: ObjectRegionOptions): Resolved {
  const out = { ...OBJECT_REGION_DEFAULTS, ...options };
  for (const [name, value] of Object.entries(out)) {
    if (!Number.isFinite(value) || value < 0) throw new Error(`object regions: ${name} must be a number ≥ 0, got ${value}`);
  }
  if (out.minSide < 1 || out.maxRegions < 1) throw new Error('object regions: minSide and maxRegions must be at least 1');
  return out;
}

/** One object of a window: its foreground bounds in the middle frame, the square crop around them, its area. */
export interface FoundObject {
  bounds: PixelBox;
  box: PixelBox;
  area: number;
}

function foregroundComponents(frame: Uint8Array, background: Uint8Array, width: number, height: number, o: Resolved): { components: Components; sizes: ComponentPixels[] } {
  const foreground = new Uint8Array(width * height);
  for (let p = 0; p < foreground.length; p++) foreground[p] = Math.abs(frame[p]! - background[p]!) > o.foregroundThreshold ? 1 : 0;
  const components = labelComponents(dilateSquare(foreground, width, height, o.dilation), width, height);
  return { components, sizes: componentPixels(components, foreground, width) };
}

const boundsOf = (s: ComponentPixels): PixelBox => ({
  x: s.minX,
  y: s.minY,
  width: s.maxX - s.minX + 1,
  height: s.maxY - s.minY + 1,
});

/**
 * The moving objects of a window (SSMTL's detections, without a detector): pixels of the middle frame
 * that differ from the background, dilated and split into 8-connected components; a component is an
 * object when it is big and tall enough and part of it differs from the window's first or last frame.
 * Unlike motion regions, a group of walkers stays several objects. Largest first.
 */
export function findObjects(window: GrayWindow, background: Uint8Array, options: ObjectRegionOptions = {}): FoundObject[] {
  checkGrayWindow(window);
  const { width, height, frames } = window;
  if (background.length !== width * height) throw new Error(`object regions: the background has ${background.length} pixels, the frames ${width * height}`);
  const o = resolve(options);
  const middle = frames[(frames.length - 1) >> 1]!;
  const first = frames[0]!;
  const last = frames[frames.length - 1]!;
  const moving = new Uint8Array(width * height);
  for (let p = 0; p < moving.length; p++) {
    // Against both ends, so an object that moved further than its own size in half a window still counts.
    const change = Math.max(Math.abs(middle[p]! - first[p]!), Math.abs(middle[p]! - last[p]!));
    moving[p] = change > o.motionThreshold ? 1 : 0;
  }
  const { components, sizes } = foregroundComponents(middle, background, width, height, o);
  const moved = componentPixels(components, moving, width);
  const found: FoundObject[] = [];
  sizes.forEach((s, k) => {
    if (s.pixels === 0 || s.pixels < o.minArea) return;
    if (moved[k]!.pixels < o.minMovingShare * s.pixels) return;
    const bounds = boundsOf(s);
    if (bounds.height < o.minHeight) return;
    found.push({ bounds, box: squareBox(bounds, width, height, o), area: s.pixels });
  });
  // Components come in raster order, so the sort is deterministic among equal areas.
  found.sort((a, b) => b.area - a.area);
  return found.slice(0, o.maxRegions);
}

/** The moving objects of a window, one square per object, the largest first (see findObjects). */
export function findObjectRegions(window: GrayWindow, background: Uint8Array, options: ObjectRegionOptions = {}): PixelBox[] {
  return findObjects(window, background, options).map((f) => f.box);
}

/**
 * The foreground blobs of one frame against the background, with the same threshold, dilation and size
 * filters as findObjects but no motion test (that is the middle frame's job): what a followed object is
 * looked for among in the other frames of its window.
 */
export function frameForeground(frame: Uint8Array, width: number, height: number, background: Uint8Array, options: ObjectRegionOptions = {}): PixelBox[] {
  if (frame.length !== width * height || background.length !== width * height) {
    throw new Error(`object regions: the frame has ${frame.length} pixels and the background ${background.length}, ${width}×${height} needs ${width * height}`);
  }
  const o = resolve(options);
  const { sizes } = foregroundComponents(frame, background, width, height, o);
  return sizes.filter((s) => s.pixels > 0 && s.pixels >= o.minArea && s.maxY - s.minY + 1 >= o.minHeight).map(boundsOf);
}
