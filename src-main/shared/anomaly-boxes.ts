/**
 * The region behind each frame's anomaly score: its box in the video's own (displayed) pixels. Stored and
 * carried as one little-endian Int16Array of four values per frame, x, y, w, h; a frame no region scored
 * has −1 in all four. Zod-free, so the renderer uses it as it is.
 */

export interface FrameBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The most a coordinate can be: int16 holds videos up to 32767 pixels a side. */
export const MAX_BOX_COORDINATE = 0x7fff;

const NO_BOX = -1;

/** Per frame, x, y, w, h (−1 four times where no region scored the frame). */
export type FrameBoxes = Int16Array;

/**
 * A video's frame boxes with the picture they are drawn in: the video as a player shows it, at its own
 * size. A player showing a smaller copy (a proxy) scales the boxes by its width over `width`.
 */
export interface RegionBoxes<Frames = FrameBoxes> {
  width: number;
  height: number;
  frames: Frames;
}

/** `frameCount` frames without a box. */
export function emptyFrameBoxes(frameCount: number): FrameBoxes {
  return new Int16Array(frameCount * 4).fill(NO_BOX);
}

/** Frame `frame`'s box, or null where no region scored it (or the frame is outside the array). */
export function boxAt(boxes: FrameBoxes, frame: number): FrameBox | null {
  const i = frame * 4;
  if (!Number.isInteger(frame) || frame < 0 || i + 3 >= boxes.length) return null;
  const w = boxes[i + 2]!;
  if (w < 0) return null;
  return { x: boxes[i]!, y: boxes[i + 1]!, w, h: boxes[i + 3]! };
}

/** Writes frame `frame`'s box (rounded to whole pixels; a box past int16 is a bug in the caller, so it throws). */
export function setBoxAt(boxes: FrameBoxes, frame: number, box: FrameBox | null): void {
  const i = frame * 4;
  if (box === null) {
    boxes.fill(NO_BOX, i, i + 4);
    return;
  }
  const values = [box.x, box.y, box.w, box.h].map(Math.round);
  for (const v of values) {
    if (!(v >= 0 && v <= MAX_BOX_COORDINATE)) throw new Error(`frame ${frame}'s box ${JSON.stringify(box)} does not fit 0..${MAX_BOX_COORDINATE} pixels`);
  }
  boxes.set(values, i);
}

/** The smallest box holding both (either may be null). */
export function unionOfBoxes(a: FrameBox | null, b: FrameBox | null): FrameBox | null {
  if (a === null) return b;
  if (b === null) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

/** Little-endian int16 bytes as base64 (what AnomalyScoresDto.boxes carries). */
export function encodeFrameBoxes(boxes: FrameBoxes): string {
  const bytes = new Uint8Array(boxes.buffer, boxes.byteOffset, boxes.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function decodeFrameBoxes(base64: string): FrameBoxes {
  const binary = atob(base64);
  if (binary.length % 8 !== 0) throw new Error(`Frame boxes are 8 bytes a frame; these are ${binary.length} bytes.`);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Int16Array(bytes.buffer);
}
