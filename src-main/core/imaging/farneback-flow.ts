import { boxBlur } from './box-blur.js';
import { farnebackOptions, type FarnebackOptions } from './farneback-options.js';
import { floatImage, type FloatImage } from './float-image.js';
import { gaussianBlur } from './gaussian-blur.js';
import { polynomialExpansion } from './polynomial-expansion.js';
import { resizeBilinear } from './resize-bilinear.js';
import { solveFlow, updateMatrices } from './farneback-update.js';

/** Scales of the pyramid, coarsest first, ending with 1 (OpenCV's level count rule). */
function pyramidScales(width: number, height: number, o: FarnebackOptions): number[] {
  const smallest = Math.max(o.minLevelSize, 2); // the flow update samples 2×2 neighbourhoods
  let levels = 0;
  for (let scale = o.pyrScale; levels < o.levels; scale *= o.pyrScale, levels++) {
    if (width * scale < smallest || height * scale < smallest) break;
  }
  return Array.from({ length: levels + 1 }, (_, i) => o.pyrScale ** (levels - i));
}

/** One frame's polynomial expansion at every pyramid scale (blurred, then resized, from the full image). */
function expansions(image: FloatImage, scales: readonly number[], o: FarnebackOptions): FloatImage[] {
  return scales.map((scale) => {
    const sigma = (1 / scale - 1) * 0.5;
    const size = Math.max(Math.round(sigma * 5) | 1, 3);
    // sigma 0 at full scale: gaussianBlur then uses OpenCV's default for a 3-tap kernel (0.8).
    const blurred = gaussianBlur(image, size, sigma);
    const level = resizeBilinear(blurred, Math.round(image.width * scale), Math.round(image.height * scale));
    return polynomialExpansion(level, o.polyN, o.polySigma);
  });
}

/** Coarse-to-fine flow from the expansions of two frames (both lists coarsest first). */
function flowBetween(r0: readonly FloatImage[], r1: readonly FloatImage[], o: FarnebackOptions): FloatImage {
  let flow: FloatImage | null = null;
  for (let level = 0; level < r0.length; level++) {
    const a = r0[level]!;
    const b = r1[level]!;
    if (flow === null) flow = floatImage(a.width, a.height, 2);
    else {
      flow = resizeBilinear(flow, a.width, a.height);
      const up = 1 / o.pyrScale;
      for (let i = 0; i < flow.data.length; i++) flow.data[i]! *= up;
    }
    const m = updateMatrices(a, b, flow);
    const averaged = floatImage(m.width, m.height, m.channels);
    for (let i = 0; i < o.iterations; i++) {
      solveFlow(boxBlur(m, o.winSize, averaged), flow);
      if (i < o.iterations - 1) updateMatrices(a, b, flow, m);
    }
  }
  return flow!;
}

function checkFrames(frames: readonly FloatImage[]): void {
  const first = frames[0];
  if (!first) throw new Error('Farnebäck flow: no frames');
  for (const [i, frame] of frames.entries()) {
    if (frame.channels !== 1) throw new Error(`Farnebäck flow: frame ${i} has ${frame.channels} channels, expected 1 (grey)`);
    if (frame.width !== first.width || frame.height !== first.height) {
      throw new Error(`Farnebäck flow: frame ${i} is ${frame.width}×${frame.height}, frame 0 is ${first.width}×${first.height}`);
    }
    if (frame.data.length !== frame.width * frame.height) throw new Error(`Farnebäck flow: frame ${i} has ${frame.data.length} values for ${frame.width}×${frame.height}`);
  }
  if (first.width < 2 || first.height < 2) throw new Error(`Farnebäck flow: frames must be at least 2×2, got ${first.width}×${first.height}`);
}

/**
 * Dense optical flow (Farnebäck 2003, as OpenCV's calcOpticalFlowFarneback with box-window
 * averaging) between each pair of consecutive grey frames: result i has 2 channels (dx, dy) in
 * pixels such that frames[i](x, y) ≈ frames[i+1](x + dx, y + dy). Each frame is expanded once
 * and shared by the two pairs it belongs to.
 */
export function farnebackFlowSequence(frames: readonly FloatImage[], options: Partial<FarnebackOptions> = {}): FloatImage[] {
  checkFrames(frames);
  const o = farnebackOptions(options);
  const scales = pyramidScales(frames[0]!.width, frames[0]!.height, o);
  const expanded = frames.map((frame) => expansions(frame, scales, o));
  return expanded.slice(1).map((next, i) => flowBetween(expanded[i]!, next, o));
}

/** Dense optical flow from `prev` to `next` (see farnebackFlowSequence). */
export function farnebackFlow(prev: FloatImage, next: FloatImage, options: Partial<FarnebackOptions> = {}): FloatImage {
  return farnebackFlowSequence([prev, next], options)[0]!;
}
