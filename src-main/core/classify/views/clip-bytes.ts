import { clipByteLength, type ClipSpec } from '../clips/clip-spec.js';

/** Throws a clear error unless `clip` holds exactly one decoded clip of `spec` (T·S·S·3 bytes). */
export function assertClipBytes(clip: Uint8Array, spec: ClipSpec, who: string): void {
  if (!Number.isInteger(spec.frames) || spec.frames < 1) throw new Error(`${who}: clip spec frames must be ≥ 1, got ${spec.frames}`);
  if (!Number.isInteger(spec.size) || spec.size < 2) throw new Error(`${who}: clip spec size must be ≥ 2, got ${spec.size}`);
  const bytes = clipByteLength(spec);
  if (clip.length !== bytes) {
    throw new Error(
      `${who}: the clip has ${clip.length} bytes, the spec ${spec.frames}×${spec.size}×${spec.size}×3 needs ${bytes}`,
    );
  }
}
