/** An axis-aligned box in whole pixels: top-left corner (inclusive) and size. */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SquareOptions {
  /** Context added on each side, as a share of the box's longer side. */
  padding: number;
  /** The smallest square side in pixels (tiny boxes are blown up a lot when resized to the tube size). */
  minSide: number;
}

/**
 * The square around a box: its longer side plus padding (at least `minSide`), centred on the box, then
 * shifted (never cut) to lie inside the frame, so resizing it to the tube size does not distort. A square
 * larger than the frame's shorter side shrinks to that side.
 */
export function squareBox(box: PixelBox, frameWidth: number, frameHeight: number, options: SquareOptions): PixelBox {
  const longer = Math.max(box.width, box.height);
  const wanted = Math.max(options.minSide, Math.ceil(longer * (1 + 2 * options.padding)));
  const side = Math.min(wanted, frameWidth, frameHeight);
  const centreX = box.x + box.width / 2;
  const centreY = box.y + box.height / 2;
  const x = Math.min(Math.max(Math.round(centreX - side / 2), 0), frameWidth - side);
  const y = Math.min(Math.max(Math.round(centreY - side / 2), 0), frameHeight - side);
  return { x, y, width: side, height: side };
}

/** Pixels between two boxes (the larger of the x and y gaps; 0 when they touch or overlap). */
export function boxGap(a: PixelBox, b: PixelBox): number {
  const gapX = Math.max(a.x, b.x) - Math.min(a.x + a.width, b.x + b.width);
  const gapY = Math.max(a.y, b.y) - Math.min(a.y + a.height, b.y + b.height);
  return Math.max(0, gapX, gapY);
}

/** The smallest box holding both. */
export function unionBox(a: PixelBox, b: PixelBox): PixelBox {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}
