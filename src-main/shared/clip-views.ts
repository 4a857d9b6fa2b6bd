/**
 * The multi-view contract (MvPL): a clip decoded as the model sees it, next to the views derived
 * from it. Zod-free, so the renderer imports it without pulling zod into its bundle.
 */

export const clipViewKinds = ['rgb', 'temporal-gradient', 'flow'] as const;
export type ClipViewKind = (typeof clipViewKinds)[number];

/**
 * Bounds of the input spec a caller may ask views at: up to the GPU input (16×112×112). The flow
 * is computed on the main side, and costs about 6× the CPU input's there.
 */
export const CLIP_VIEW_LIMITS = { minFrames: 2, maxFrames: 16, minSize: 16, maxSize: 112 } as const;

/** One view of a clip: `frames` frames of `width`×`height` RGB bytes, frame-major, row-major. */
export interface ClipViewImage {
  kind: ClipViewKind;
  /** A short name: "RGB", "Temporal gradient", "Optical flow". */
  label: string;
  /** One line on how to read it. */
  explanation: string;
  frames: number;
  width: number;
  height: number;
  /** The frames × height × width × 3 bytes, base64. */
  pixels: string;
}

export interface ClipViewsDto {
  clipId: number;
  videoId: number;
  /** The input spec the clip was decoded at (frames spread evenly over the clip). */
  frames: number;
  size: number;
  /** The clip's length, so a player can show the frames at their real pace. */
  durationSec: number;
  /** RGB, temporal gradient, optical flow, in that order. */
  views: ClipViewImage[];
}

/** Bytes from base64 (what ClipViewImage.pixels carries). */
export function decodeBase64Bytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
