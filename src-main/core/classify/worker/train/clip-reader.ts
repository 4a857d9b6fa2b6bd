import type { ClipRef } from '../../clips/clip-ref.js';

/** Where a job gets decoded clips (T·S·S·3 uint8 each); the clip cache in the app. */
export interface ClipReader {
  read(clip: ClipRef): Promise<Uint8Array>;
}

export function readClips(reader: ClipReader, clips: readonly ClipRef[]): Promise<Uint8Array[]> {
  return Promise.all(clips.map((clip) => reader.read(clip)));
}

/** Splits `items` into consecutive batches of at most `size`. */
export function batchesOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Identifies a clip of a video by its content and interval (clip ids are 0 outside a project). */
export function clipKey(clip: ClipRef): string {
  return `${clip.videoHash}:${clip.startFrame}-${clip.endFrame}`;
}
