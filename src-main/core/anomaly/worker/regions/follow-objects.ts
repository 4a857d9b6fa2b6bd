import { unionBox, squareBox, type PixelBox, type SquareOptions } from './pixel-box.js';

export interface FollowOptions {
  /** A blob of the next frame is the same object when its bounds overlap the object's by at least this IoU... */
  minIoU?: number;
  /** ...else the blob whose centre is nearest, if it moved at most this share of the object's longer side. */
  maxShift?: number;
  /** The crop's centre is averaged over up to 2r + 1 frames (fewer at the ends), so the tube does not jitter. */
  smoothRadius?: number;
}

export const FOLLOW_DEFAULTS = { minIoU: 0.2, maxShift: 0.75, smoothRadius: 2 } as const;

/**
 * How a region's tube was cut: 'tracked' follows the object frame by frame; 'union' is one box around
 * the frames it was linked in (association failed somewhere); 'middle' is the middle frame's box (it was
 * linked in no other frame, or following is off).
 */
export type FollowKind = 'tracked' | 'union' | 'middle';

/** Tubes of each kind (object regions only; motion and grid regions never move). */
export type FollowCounts = Record<FollowKind, number>;

export const noFollowCounts = (): FollowCounts => ({ tracked: 0, union: 0, middle: 0 });

export interface FollowedObject {
  kind: FollowKind;
  /** The square crop in every frame of the span, all the same size. */
  path: PixelBox[];
}

type Resolved = Required<FollowOptions>;

function resolve(options: FollowOptions): Resolved {
  const o = { ...FOLLOW_DEFAULTS, ...options };
  if (!(o.minIoU > 0 && o.minIoU <= 1)) throw new Error(`follow objects: minIoU must be in (0, 1], got ${o.minIoU}`);
  if (!(o.maxShift >= 0 && Number.isFinite(o.maxShift))) throw new Error(`follow objects: maxShift must be a number ≥ 0, got ${o.maxShift}`);
  if (!Number.isInteger(o.smoothRadius) || o.smoothRadius < 0) throw new Error(`follow objects: smoothRadius must be a whole number ≥ 0, got ${o.smoothRadius}`);
  return o;
}

const area = (b: PixelBox): number => b.width * b.height;
const centreX = (b: PixelBox): number => b.x + b.width / 2;
const centreY = (b: PixelBox): number => b.y + b.height / 2;

export function iou(a: PixelBox, b: PixelBox): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / (area(a) + area(b) - w * h);
}

/** The blob that is `object` one frame on: best IoU, else the nearest centre within reach, else null. */
function associate(object: PixelBox, blobs: readonly PixelBox[], o: Resolved): PixelBox | null {
  let best: PixelBox | null = null;
  let bestIoU = o.minIoU;
  for (const blob of blobs) {
    const overlap = iou(object, blob);
    if (overlap >= bestIoU) {
      best = blob;
      bestIoU = overlap;
    }
  }
  if (best !== null) return best;
  const reach = o.maxShift * Math.max(object.width, object.height);
  let nearest = Infinity;
  for (const blob of blobs) {
    const distance = Math.hypot(centreX(blob) - centreX(object), centreY(blob) - centreY(object));
    if (distance <= reach && distance < nearest) {
      best = blob;
      nearest = distance;
    }
  }
  return best;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Moving average of a path with a window that shrinks symmetrically near the ends, so steady motion
 * (a walker) keeps its exact positions and only jitter is averaged out.
 */
export function smoothPath(values: readonly number[], radius: number): number[] {
  return values.map((_, t) => {
    const r = Math.min(radius, t, values.length - 1 - t);
    let sum = 0;
    for (let k = t - r; k <= t + r; k++) sum += values[k]!;
    return sum / (2 * r + 1);
  });
}

/** A side × side square centred on (cx, cy), shifted (never cut) to lie inside the frame. */
function squareAt(cx: number, cy: number, side: number, width: number, height: number): PixelBox {
  const x = Math.min(Math.max(Math.round(cx - side / 2), 0), width - side);
  const y = Math.min(Math.max(Math.round(cy - side / 2), 0), height - side);
  return { x, y, width: side, height: side };
}

/** Frames first..last (inclusive) of a span: where an object must be linked for its tube to follow it. */
export interface FrameRange {
  first: number;
  last: number;
}

/**
 * Follows one object through the frames of its span. `seed` is its foreground bounds in frame `middle`;
 * `blobs[t]` the foreground blobs of frame t (see frameForeground). The object is linked frame by frame
 * outwards from the middle (IoU association, centroid distance as the fallback). Linked in every frame of
 * `required` (default: the whole span), its tube follows it: one square side for the whole tube (the
 * median object size, squared and padded as `square` says), centred on the smoothed path of the object's
 * centre; outside `required`, where the link breaks, the path holds the last place the object was seen.
 * Otherwise the tube is the square around the union of its boxes in the frames of `required` it was
 * linked in, or, linked in none but the middle, the middle frame's.
 */
export function followObject(
  seed: PixelBox,
  middle: number,
  blobs: readonly (readonly PixelBox[])[],
  frame: { width: number; height: number },
  square: SquareOptions,
  options: FollowOptions = {},
  required: FrameRange = { first: 0, last: blobs.length - 1 },
): FollowedObject {
  const o = resolve(options);
  const frames = blobs.length;
  if (!Number.isInteger(middle) || middle < 0 || middle >= frames) throw new Error(`follow objects: the middle frame ${middle} is not one of the span's ${frames} frames`);
  if (!(required.first >= 0 && required.first <= middle && middle <= required.last && required.last < frames)) {
    throw new Error(`follow objects: frames ${required.first}..${required.last} must hold the middle frame ${middle} and lie in the span's ${frames}`);
  }
  const { width, height } = frame;
  const linked: (PixelBox | null)[] = Array.from({ length: frames }, () => null);
  linked[middle] = seed;
  for (const step of [-1, 1]) {
    let last = seed;
    for (let t = middle + step; t >= 0 && t < frames; t += step) {
      const next = associate(last, blobs[t]!, o);
      if (next === null) break;
      linked[t] = next;
      last = next;
    }
  }
  const found = linked.filter((b): b is PixelBox => b !== null);
  let followed = true;
  for (let t = required.first; t <= required.last; t++) followed &&= linked[t] !== null;
  if (followed) {
    const held = holdEnds(linked, required);
    const longer = median(found.map((b) => Math.max(b.width, b.height)));
    const side = Math.min(Math.max(square.minSide, Math.ceil(longer * (1 + 2 * square.padding))), width, height);
    const xs = smoothPath(held.map(centreX), o.smoothRadius);
    const ys = smoothPath(held.map(centreY), o.smoothRadius);
    return { kind: 'tracked', path: xs.map((cx, t) => squareAt(cx, ys[t]!, side, width, height)) };
  }
  // The window's own frames only, so a training tube's fallback box is the one scoring would cut.
  const inWindow = linked.slice(required.first, required.last + 1).filter((b): b is PixelBox => b !== null);
  const kind: FollowKind = inWindow.length > 1 ? 'union' : 'middle';
  const box = squareBox(inWindow.reduce(unionBox), width, height, square);
  return { kind, path: Array.from({ length: frames }, () => box) };
}

/** The linked boxes with the gaps beyond `required` (links only break outwards) filled by the nearest linked one. */
function holdEnds(linked: readonly (PixelBox | null)[], required: FrameRange): PixelBox[] {
  const out = [...linked];
  for (let t = required.first - 1; t >= 0; t--) out[t] ??= out[t + 1]!;
  for (let t = required.last + 1; t < out.length; t++) out[t] ??= out[t - 1]!;
  return out as PixelBox[];
}
