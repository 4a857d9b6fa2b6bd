import type { MediaKind } from '../../shared/contract.js';

export type MediaRequest =
  | { ok: true; videoId: number; kind: MediaKind }
  | { ok: false; status: 400 | 404; message: string };

const POSITIVE_INTEGER = /^[1-9][0-9]{0,15}$/;
const KINDS: readonly MediaKind[] = ['video', 'poster'];

/**
 * Reads the `<videoId>/<kind>` part of a media URL (web `/media/…`, Electron `vssl-media://media/…`).
 * `rest` is the raw, undecoded path after the prefix: anything but exactly two plain segments
 * is refused, so no path of any kind reaches the file system.
 */
export function parseMediaRequest(rest: string): MediaRequest {
  const parts = rest.split('/');
  if (parts.length !== 2) {
    return { ok: false, status: 404, message: 'Media URLs look like media/<videoId>/video or media/<videoId>/poster.' };
  }
  const [rawId = '', rawKind = ''] = parts;
  const videoId = Number(rawId);
  if (!POSITIVE_INTEGER.test(rawId) || !Number.isSafeInteger(videoId)) {
    return { ok: false, status: 400, message: 'A video id is a positive whole number.' };
  }
  const kind = KINDS.find((k) => k === rawKind);
  if (!kind) return { ok: false, status: 404, message: 'Media kinds are "video" and "poster".' };
  return { ok: true, videoId, kind };
}
