import { checkGrayWindow, type GrayWindow } from './gray-window.js';
import { gridRegions, type GridOptions } from './grid-regions.js';
import { findMotionRegions, type MotionRegionOptions } from './motion-regions.js';
import { followObject, noFollowCounts, type FollowCounts, type FollowOptions } from './follow-objects.js';
import { findObjects, frameForeground, OBJECT_REGION_DEFAULTS, type ObjectRegionOptions } from './object-regions.js';
import type { PixelBox } from './pixel-box.js';

export interface WindowRegionOptions {
  /** Objects against the background, when there is one; false = motion regions only. */
  objects?: ObjectRegionOptions | false;
  /** How objects are followed through the span's frames; false = every tube keeps the middle frame's box. */
  follow?: FollowOptions | false;
  motion?: MotionRegionOptions;
  grid?: GridOptions;
}

/** The square crops to score in one window, and where they came from. */
export interface WindowRegions {
  source: 'object' | 'motion' | 'grid';
  /** Each region's square in the window's middle frame. */
  boxes: PixelBox[];
  /** Each region's square in every frame of the span (see FollowSpan): objects are followed, other regions stay put. */
  paths: PixelBox[][];
  /** How the object regions' tubes were cut (all zero for motion and grid regions). */
  follow: FollowCounts;
}

/**
 * The frames a window's tubes are cut from, when they are more than the frames its regions are found on
 * (training cuts 19-frame tubes around 7-frame windows): `frames[middle]` is the window's middle frame.
 */
export interface FollowSpan {
  frames: readonly Uint8Array[];
  middle: number;
}

const still = (boxes: PixelBox[], frames: number): PixelBox[][] => boxes.map((box) => Array.from({ length: frames }, () => box));

function checkSpan(window: GrayWindow, span: FollowSpan): void {
  checkGrayWindow({ ...window, frames: span.frames });
  const half = (window.frames.length - 1) >> 1;
  if (!Number.isInteger(span.middle) || span.middle - half < 0 || span.middle + (window.frames.length - 1 - half) >= span.frames.length) {
    throw new Error(`regions: a ${window.frames.length}-frame window centred on frame ${span.middle} does not fit in the ${span.frames.length} frames its tubes are cut from`);
  }
}

/**
 * The regions to score in one window: moving objects against the background when one is given and they
 * are found, else moving regions (frame differences), else the fixed grid (every frame still gets scored).
 * Each object is followed through the frames of `span` (default: the window's own), so its tube moves with it.
 */
export function windowRegions(window: GrayWindow, options: WindowRegionOptions = {}, background: Uint8Array | null = null, span?: FollowSpan): WindowRegions {
  const around = span ?? { frames: window.frames, middle: (window.frames.length - 1) >> 1 };
  if (span) checkSpan(window, span);
  const frames = around.frames.length;
  if (background !== null && options.objects !== false) {
    const objectOptions = options.objects ?? {};
    const objects = findObjects(window, background, objectOptions);
    if (objects.length > 0) {
      const boxes = objects.map((o) => o.box);
      const follow = noFollowCounts();
      const followOptions = options.follow;
      if (followOptions === false) {
        follow.middle += objects.length;
        return { source: 'object', boxes, paths: still(boxes, frames), follow };
      }
      const { width, height } = window;
      const blobs = around.frames.map((frame, t) => (t === around.middle ? [] : frameForeground(frame, width, height, background, objectOptions)));
      const square = { padding: objectOptions.padding ?? OBJECT_REGION_DEFAULTS.padding, minSide: objectOptions.minSide ?? OBJECT_REGION_DEFAULTS.minSide };
      // Followed when linked through the window's own frames (as at scoring), whatever the span around them.
      const half = (window.frames.length - 1) >> 1;
      const required = { first: around.middle - half, last: around.middle - half + window.frames.length - 1 };
      const paths = objects.map((o) => {
        const followed = followObject(o.bounds, around.middle, blobs, { width, height }, square, followOptions ?? {}, required);
        follow[followed.kind]++;
        return followed.path;
      });
      return { source: 'object', boxes, paths, follow };
    }
  }
  const motion = findMotionRegions(window, options.motion);
  if (motion.regions.length > 0) {
    const boxes = motion.regions.map((r) => r.box);
    return { source: 'motion', boxes, paths: still(boxes, frames), follow: noFollowCounts() };
  }
  const boxes = gridRegions(window.width, window.height, options.grid);
  return { source: 'grid', boxes, paths: still(boxes, frames), follow: noFollowCounts() };
}
