import path from 'node:path';
import type { VideoProbe } from './probe.js';

/** What decides whether Chromium's <video> plays a file as it is. */
export type PlayabilityInput = Pick<VideoProbe, 'container' | 'codec' | 'pixelFormat' | 'audioCodec'>;

export interface Playability {
  playable: boolean;
  /** Why a proxy is needed; null when the original plays. */
  reason: string | null;
}

const ISO_MEDIA_EXTENSIONS = new Set(['.mp4', '.m4v', '.mov']);
const ISO_MEDIA_VIDEO = new Set(['h264', 'vp9', 'av1']);
const WEBM_VIDEO = new Set(['vp8', 'vp9', 'av1']);
const ISO_MEDIA_AUDIO = new Set(['aac', 'mp3', 'opus', 'flac']);
const WEBM_AUDIO = new Set(['opus', 'vorbis']);
/** 8-bit 4:2:0: what every Chromium build decodes (10-bit and 4:2:2/4:4:4 vary by build). */
const PIXEL_FORMATS = new Set(['yuv420p', 'yuvj420p', 'nv12']);

/**
 * Decides whether the app's player (Chromium/Electron) plays the original file. The file is
 * served with a content type chosen by its extension, so the extension has to match the
 * container too: an H.264 stream in .mkv, .avi or .3gp gets a proxy.
 */
export function playabilityOf(file: string, probe: PlayabilityInput): Playability {
  const ext = path.extname(file).toLowerCase();
  const formats = probe.container.split(',');
  let videoCodecs: ReadonlySet<string>;
  let audioCodecs: ReadonlySet<string>;
  if (formats.includes('mp4') && ISO_MEDIA_EXTENSIONS.has(ext)) {
    videoCodecs = ISO_MEDIA_VIDEO;
    audioCodecs = ISO_MEDIA_AUDIO;
  } else if (formats.includes('webm') && ext === '.webm') {
    videoCodecs = WEBM_VIDEO;
    audioCodecs = WEBM_AUDIO;
  } else {
    return { playable: false, reason: `the ${probe.container} container${ext ? ` (${ext})` : ''} does not play in the browser` };
  }
  if (!videoCodecs.has(probe.codec)) {
    return { playable: false, reason: `the ${probe.codec} codec does not play in the browser` };
  }
  if (!probe.pixelFormat || !PIXEL_FORMATS.has(probe.pixelFormat)) {
    return { playable: false, reason: `the ${probe.pixelFormat ?? 'unknown'} pixel format does not play in the browser` };
  }
  if (probe.audioCodec !== null && !audioCodecs.has(probe.audioCodec)) {
    return { playable: false, reason: `the ${probe.audioCodec} audio does not play in the browser` };
  }
  return { playable: true, reason: null };
}
