import type { GrayWindow } from './gray-window.js';
import { gridRegions, type GridOptions } from './grid-regions.js';
import { findMotionRegions, type MotionRegionOptions } from './motion-regions.js';
import { findObjectRegions, type ObjectRegionOptions } from './object-regions.js';
import type { PixelBox } from './pixel-box.js';

export interface WindowRegionOptions {
  /** Objects against the background, when there is one; false = motion regions only. */
  objects?: ObjectRegionOptions | false;
  motion?: MotionRegionOptions;
  grid?: GridOptions;
}

/** The square crops to score in one window, and where they came from. */
export interface WindowRegions {
  source: 'object' | 'motion' | 'grid';
  boxes: PixelBox[];
}

/**
 * The regions to score in one window: moving objects against the background when one is given and they
 * are found, else moving regions (frame differences), else the fixed grid (every frame still gets scored).
 */
export function windowRegions(window: GrayWindow, options: WindowRegionOptions = {}, background: Uint8Array | null = null): WindowRegions {
  if (background !== null && options.objects !== false) {
    const boxes = findObjectRegions(window, background, options.objects ?? {});
    if (boxes.length > 0) return { source: 'object', boxes };
  }
  const motion = findMotionRegions(window, options.motion);
  if (motion.regions.length > 0) {
    return { source: 'motion', boxes: motion.regions.map((r) => r.box) };
  }
  return { source: 'grid', boxes: gridRegions(window.width, window.height, options.grid) };
}
