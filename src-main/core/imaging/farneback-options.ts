/** Settings of Farnebäck's dense optical flow; the names follow OpenCV's calcOpticalFlowFarneback. */
export interface FarnebackOptions {
  /** Each pyramid level is this fraction of the one below (< 1). */
  pyrScale: number;
  /** Most levels above the full image; fewer when a level would be smaller than minLevelSize. */
  levels: number;
  /** Side of the square window over which the equations are averaged (odd). */
  winSize: number;
  /** Refinements per pyramid level. */
  iterations: number;
  /** Half-width of the polynomial-expansion window (5 or 7 in OpenCV's advice). */
  polyN: number;
  /** Gaussian sigma of the expansion's weights (1.1 for polyN 5, 1.5 for polyN 7). */
  polySigma: number;
  /** No pyramid level narrower than this (OpenCV uses 32). */
  minLevelSize: number;
}

/**
 * OpenCV's usual settings, with a window sized for the small clips here (64 px rather than
 * 640): 15 px averages over a quarter of the image and blurs motion boundaries.
 */
export const DEFAULT_FARNEBACK: Readonly<FarnebackOptions> = {
  pyrScale: 0.5,
  levels: 3,
  winSize: 9,
  iterations: 3,
  polyN: 5,
  polySigma: 1.1,
  minLevelSize: 32,
};

/** The options completed with defaults, or a clear error naming the bad one. */
export function farnebackOptions(options: Partial<FarnebackOptions> = {}): FarnebackOptions {
  const o = { ...DEFAULT_FARNEBACK, ...options };
  const fail = (what: string) => {
    throw new Error(`Farnebäck flow: ${what}`);
  };
  if (!(o.pyrScale > 0 && o.pyrScale < 1)) fail(`pyrScale must be in (0, 1), got ${o.pyrScale}`);
  if (!Number.isInteger(o.levels) || o.levels < 0) fail(`levels must be an integer ≥ 0, got ${o.levels}`);
  if (!Number.isInteger(o.winSize) || o.winSize < 1 || o.winSize % 2 === 0) fail(`winSize must be odd and ≥ 1, got ${o.winSize}`);
  if (!Number.isInteger(o.iterations) || o.iterations < 1) fail(`iterations must be an integer ≥ 1, got ${o.iterations}`);
  if (!Number.isInteger(o.polyN) || o.polyN < 1) fail(`polyN must be an integer ≥ 1, got ${o.polyN}`);
  if (!(o.polySigma > 0)) fail(`polySigma must be > 0, got ${o.polySigma}`);
  if (!Number.isInteger(o.minLevelSize) || o.minLevelSize < 1) fail(`minLevelSize must be an integer ≥ 1, got ${o.minLevelSize}`);
  return o;
}
