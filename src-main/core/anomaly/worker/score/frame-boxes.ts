import { emptyFrameBoxes, setBoxAt, type FrameBoxes } from '../../../../shared/anomaly-boxes.js';

/** From the working frame the regions were found on to the picture as a player shows it. */
export interface BoxScale {
  x: number;
  y: number;
}

/** The scale from a working size to the displayed size (1 when the video was decoded at its own size). */
export function boxScale(working: { width: number; height: number }, display: { width: number; height: number }): BoxScale {
  return { x: display.width / working.width, y: display.height / working.height };
}

/**
 * Per frame, the box of the region whose score the frame took: `region` is frameScores' choice per frame
 * (−1 where no region covers the frame), so boxes follow scores the way `perTask` does. `regionBoxes`
 * holds x, y, width, height per region in working pixels; the result is in displayed pixels.
 */
export function frameBoxes(region: Int32Array, regionBoxes: ArrayLike<number>, scale: BoxScale): FrameBoxes {
  const out = emptyFrameBoxes(region.length);
  for (let f = 0; f < region.length; f++) {
    const r = region[f]!;
    if (r < 0) continue;
    if (4 * r + 3 >= regionBoxes.length) throw new Error(`frame ${f} took region ${r}, but there are boxes for ${regionBoxes.length / 4} regions`);
    const x = regionBoxes[4 * r]! * scale.x;
    const y = regionBoxes[4 * r + 1]! * scale.y;
    // Rounded edges rather than sizes, so the box never loses a pixel to rounding on both sides.
    const right = Math.round(x + regionBoxes[4 * r + 2]! * scale.x);
    const bottom = Math.round(y + regionBoxes[4 * r + 3]! * scale.y);
    setBoxAt(out, f, { x: Math.round(x), y: Math.round(y), w: right - Math.round(x), h: bottom - Math.round(y) });
  }
  return out;
}
