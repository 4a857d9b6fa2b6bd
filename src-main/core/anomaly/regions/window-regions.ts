import type { GrayWindow } from './gray-window.js';
import { gridRegions, type GridOptions } from './grid-regions.js';
import { findMotionRegions, type MotionRegionOptions } from './motion-regions.js';
import type { PixelBox } from './pixel-box.js';

export interface WindowRegionOptions {
  motion?: MotionRegionOptions;
  grid?: GridOptions;
}

/** The square crops to score in one window, and where they came from. */
export interface WindowRegions {
  source: 'motion' | 'grid';
  boxes: PixelBox[];
  /** The motion threshold used, in grey levels. */
  threshold: number;
}

/** Moving regions of the window, or the fixed grid when nothing moves (every frame still gets scored). */
export function windowRegions(window: GrayWindow, options: WindowRegionOptions = {}): WindowRegions {
  const motion = findMotionRegions(window, options.motion);
  if (motion.regions.length > 0) {
    return { source: 'motion', boxes: motion.regions.map((r) => r.box), threshold: motion.threshold };
  }
  return { source: 'grid', boxes: gridRegions(window.width, window.height, options.grid), threshold: motion.threshold };
}
