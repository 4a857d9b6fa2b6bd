import fs from 'node:fs/promises';
import { z } from 'zod';
import type { MediaTools } from './media-tools.js';
import { MediaFailure } from './media-failure.js';
import { lastErrorLine, runTool } from './run-tool.js';

/** What the import needs to know about a video file, read by ffprobe. */
export interface VideoProbe {
  /** Absolute index of the video stream the app uses (ffmpeg `-map 0:<index>`). */
  streamIndex: number;
  durationSec: number | null;
  frameCount: number | null;
  /** Rational strings as ffprobe reports them, e.g. "30000/1001". */
  avgFrameRate: string | null;
  realFrameRate: string | null;
  fps: number | null;
  startTime: number | null;
  width: number;
  height: number;
  codec: string;
  pixelFormat: string | null;
  /** ffprobe format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm". */
  container: string;
  /** Clockwise degrees the picture is turned for display (what the old `rotate` tag says). */
  rotation: number;
  hasAudio: boolean;
  audioCodec: string | null;
  /**
   * Where the container's header says the video stream ends, in seconds after the file's start
   * time: what decoding the whole stream must reach. Null when the file states no such thing
   * (MPEG-TS and raw streams infer a duration from timestamps or bitrate; a Matroska file without
   * a per-track duration has only the longest track's).
   */
  videoEndSec: number | null;
}

const numeric = z.union([z.string(), z.number()]).optional();

const streamSchema = z.object({
  index: z.number().int(),
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  pix_fmt: z.string().optional(),
  avg_frame_rate: z.string().optional(),
  r_frame_rate: z.string().optional(),
  start_time: numeric,
  duration: numeric,
  nb_frames: numeric,
  nb_read_packets: numeric,
  disposition: z.object({ attached_pic: z.number().optional() }).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  side_data_list: z.array(z.object({ rotation: z.number().optional() }).loose()).optional(),
});

const probeSchema = z.object({
  streams: z.array(streamSchema).default([]),
  format: z
    .object({
      format_name: z.string().optional(),
      duration: numeric,
      start_time: numeric,
    })
    .optional(),
});

const packetCountSchema = z.object({ streams: z.array(z.object({ nb_read_packets: numeric })) });

type ProbeStream = z.infer<typeof streamSchema>;
export type ProbeJson = z.infer<typeof probeSchema>;

const HEADER_TIMEOUT_MS = 30_000;
/** Counting packets demuxes the whole file: allow for slow disks on multi-GB files. */
const COUNT_TIMEOUT_BASE_MS = 30_000;
const COUNT_BYTES_PER_MS = 20_000; // 20 MB/s, a pessimistic USB-disk read rate

const STILL_IMAGE_FORMATS = /^(image2|.*_pipe)$/;
/** Containers whose frame count is their index's, which may count dropped frames (tree.avi: 444 slots, 68 frames). */
const INDEX_WITH_DROPPED_FRAMES = /(^|,)avi(,|$)/;

/**
 * Probes a file and returns its metadata plus the validated part of ffprobe's JSON that the app
 * reads (kept in the row as probe_json: a few hundred bytes, so listing 10,000 rows stays light).
 * Throws MediaFailure with a reason a person can act on when the file is not a usable video.
 */
export async function probeVideo(
  tools: MediaTools,
  file: string,
  size: number,
  signal?: AbortSignal,
): Promise<{ probe: VideoProbe; json: string }> {
  const header = await runTool(
    tools.ffprobe,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file],
    { signal, timeoutMs: HEADER_TIMEOUT_MS },
  );
  if (header.crashSignal) throw new MediaFailure(`ffprobe crashed (${header.crashSignal}) while reading this file`);
  if (header.code !== 0) {
    throw new MediaFailure(probeFailureReason(header.stderr, file, await looksLikeIsoMedia(file)));
  }
  const parsed = parseProbeJson(header.stdout);
  let probe = interpretProbe(parsed);
  if (probe.frameCount === null) {
    probe.frameCount = await countPackets(tools, file, probe.streamIndex, size, signal);
  } else if (INDEX_WITH_DROPPED_FRAMES.test(probe.container)) {
    // An AVI's index counts the slots of a constant rate, dropped frames (empty chunks) included: what decodes
    // is what the packets hold. Kept in the stored JSON, so a later re-read agrees.
    const packets = await countPackets(tools, file, probe.streamIndex, size, signal);
    const video = parsed.streams.find((s) => s.index === probe.streamIndex);
    if (video !== undefined && packets !== null && packets < probe.frameCount) {
      video.nb_read_packets = packets;
      probe = interpretProbe(parsed);
    }
  }
  return { probe, json: JSON.stringify(parsed) };
}

export function parseProbeJson(text: string): ProbeJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MediaFailure('ffprobe gave an unreadable answer for this file');
  }
  const result = probeSchema.safeParse(value);
  if (!result.success) throw new MediaFailure('ffprobe gave an unexpected answer for this file');
  return result.data;
}

/** Turns ffprobe's JSON into the fields the app stores; also used to re-read stored probe_json. */
export function interpretProbe(json: ProbeJson): VideoProbe {
  const container = json.format?.format_name ?? 'unknown';
  const video = json.streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  if (STILL_IMAGE_FORMATS.test(container)) throw new MediaFailure('a still image, not a video');
  if (!video) throw new MediaFailure('no video stream');
  if (!video.width || !video.height) {
    throw new MediaFailure('file is truncated or corrupt: the video stream has no picture size');
  }
  const durationSec = positive(toNumber(json.format?.duration) ?? toNumber(video.duration));
  const dropped = droppedFrameRate(video, durationSec);
  const avgFrameRate = dropped ?? usableRate(video.avg_frame_rate);
  const realFrameRate = usableRate(video.r_frame_rate);
  const audio = json.streams.find((s) => s.codec_type === 'audio');
  return {
    streamIndex: video.index,
    durationSec,
    frameCount: frameCountOf(video),
    avgFrameRate,
    realFrameRate,
    fps: rationalToNumber(avgFrameRate ?? realFrameRate),
    startTime: toNumber(video.start_time) ?? toNumber(json.format?.start_time),
    width: video.width,
    height: video.height,
    codec: video.codec_name ?? 'unknown',
    pixelFormat: video.pix_fmt ?? null,
    container,
    rotation: rotationOf(video),
    hasAudio: audio !== undefined,
    audioCodec: audio?.codec_name ?? null,
    videoEndSec: declaredVideoEnd(json, video),
  };
}

/** Containers whose header states how long each track (or the file) lasts. */
const DECLARED_DURATION_FORMATS = /^(matroska|mov|avi)\b/;

/**
 * The video stream's end as its container declares it (see VideoProbe.videoEndSec). ffmpeg's
 * Matroska muxer writes a DURATION tag per track, the end of its last frame; mp4/mov and AVI give
 * the stream a start and a duration.
 */
function declaredVideoEnd(json: ProbeJson, video: ProbeStream): number | null {
  const stated = declaredStreamEnd(json.format, video);
  if (stated !== undefined) return stated;
  // The file's duration is the video's only when no other timed track could make it longer.
  const timed = (s: ProbeStream) => s.codec_type === 'audio' || (s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  const others = json.streams.filter((s) => s !== video && timed(s));
  return others.length === 0 && (json.format?.format_name ?? '').startsWith('matroska') ? positive(toNumber(json.format?.duration)) : null;
}

/** What ffprobe says of a container and its video stream that tells where the stream ends. */
export interface DeclaredEndFields {
  format?: { format_name?: string | undefined; start_time?: string | number | undefined } | undefined;
  stream: { duration?: string | number | undefined; start_time?: string | number | undefined; tags?: Record<string, string> | undefined };
}

/**
 * Where a video stream ends as its own header states it, in seconds after the file's start: the Matroska
 * DURATION tag, or mp4/mov/AVI's stream start and duration. Null for a container that states no such thing
 * (MPEG-TS, raw streams); undefined when it could, but this stream's header does not.
 */
export function declaredStreamEnd(format: DeclaredEndFields['format'], stream: DeclaredEndFields['stream']): number | null | undefined {
  if (!DECLARED_DURATION_FORMATS.test(format?.format_name ?? '')) return null;
  const fileStart = toNumber(format?.start_time) ?? 0;
  const tagged = tagDuration(stream.tags);
  if (tagged !== null) return positive(tagged - fileStart);
  const duration = toNumber(stream.duration);
  if (duration !== null) return positive((toNumber(stream.start_time) ?? fileStart) - fileStart + duration);
  return undefined;
}

/** A Matroska DURATION tag, "HH:MM:SS.nnnnnnnnn", in seconds. */
function tagDuration(tags: Record<string, string> | undefined): number | null {
  const value = tags?.DURATION ?? tags?.duration;
  const match = value ? /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value.trim()) : null;
  if (!match) return null;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

async function countPackets(
  tools: MediaTools,
  file: string,
  streamIndex: number,
  size: number,
  signal?: AbortSignal,
): Promise<number | null> {
  const counted = await runTool(
    tools.ffprobe,
    ['-v', 'error', '-select_streams', String(streamIndex), '-count_packets',
      '-show_entries', 'stream=nb_read_packets', '-print_format', 'json', file],
    { signal, timeoutMs: COUNT_TIMEOUT_BASE_MS + size / COUNT_BYTES_PER_MS },
  );
  if (counted.crashSignal) throw new MediaFailure(`ffprobe crashed (${counted.crashSignal}) while counting frames`);
  if (counted.code !== 0) throw new MediaFailure(probeFailureReason(counted.stderr, file));
  let value: unknown;
  try {
    value = JSON.parse(counted.stdout);
  } catch {
    return null;
  }
  const parsed = packetCountSchema.safeParse(value);
  const count = parsed.success ? toNumber(parsed.data.streams[0]?.nb_read_packets) : null;
  return count !== null && count > 0 ? Math.round(count) : null;
}

/**
 * ffprobe's last stderr line, turned into one of the reasons the Library shows. ffprobe picks
 * the mp4 demuxer by extension, so a text file named .mp4 and an mp4 cut off before its index
 * both say "moov atom not found": only the first box tells them apart.
 */
export function probeFailureReason(stderr: string, file: string, isoMediaHeader = false): string {
  const detail = lastErrorLine(stderr, file);
  if (/No such file or directory/i.test(stderr)) return 'file not found';
  if (/Permission denied/i.test(stderr)) return 'permission denied';
  const notAVideo = 'not a video file (ffprobe: Invalid data found when processing input)';
  if (/moov atom not found/i.test(stderr)) {
    return isoMediaHeader ? 'file is truncated or corrupt: moov atom not found (the file ends before its index)' : notAVideo;
  }
  if (/partial file|Truncat|end of file|corrupt/i.test(stderr)) return `file is truncated or corrupt: ${detail}`;
  if (/Invalid data found when processing input/i.test(stderr)) return notAVideo;
  return `ffprobe could not read the file: ${detail || 'no reason given'}`;
}

const ISO_MEDIA_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot']);

/** True when the file starts with an ISO media (mp4/mov) box. */
async function looksLikeIsoMedia(file: string): Promise<boolean> {
  try {
    const handle = await fs.open(file, 'r');
    try {
      const head = Buffer.alloc(8);
      const { bytesRead } = await handle.read(head, 0, 8, 0);
      return bytesRead === 8 && ISO_MEDIA_BOXES.has(head.toString('latin1', 4, 8));
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}

function frameCountOf(stream: ProbeStream): number | null {
  const read = toNumber(stream.nb_read_packets);
  if (read !== null && read > 0) return Math.round(read);
  const n = toNumber(stream.nb_frames);
  return n !== null && n > 0 ? Math.round(n) : null;
}

/**
 * The mean rate of the frames that are there, when the packets counted fall short of the index's slots
 * (dropped frames): frame i is then placed at i / that rate, spread over the duration like the real ones,
 * instead of at i / the slot rate, which would end the video early. Null when nothing was dropped.
 */
function droppedFrameRate(stream: ProbeStream, durationSec: number | null): string | null {
  const read = toNumber(stream.nb_read_packets);
  const slots = toNumber(stream.nb_frames);
  if (read === null || slots === null || read <= 0 || read >= slots || durationSec === null) return null;
  return `${Math.round(read)}/${durationSec}`;
}

/**
 * Display rotation, clockwise, in [0, 360). The display matrix in side data is counter-clockwise
 * (an iPhone portrait clip reports -90 there and `rotate=90` in the old tag).
 */
export function rotationOf(stream: Pick<ProbeStream, 'side_data_list' | 'tags'>): number {
  const matrix = stream.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation;
  if (matrix !== undefined) return normalizeDegrees(-matrix);
  const tag = Number(stream.tags?.rotate);
  return Number.isFinite(tag) ? normalizeDegrees(tag) : 0;
}

function normalizeDegrees(degrees: number): number {
  return ((Math.round(degrees) % 360) + 360) % 360;
}

function usableRate(rate: string | undefined): string | null {
  return rate && rationalToNumber(rate) !== null ? rate : null;
}

/** "30000/1001" → 29.97…; "0/0" or garbage → null. */
export function rationalToNumber(rate: string | null | undefined): number | null {
  if (!rate) return null;
  const [num, den = '1'] = rate.split('/');
  const value = Number(num) / Number(den);
  return Number.isFinite(value) && value > 0 ? value : null;
}

function toNumber(value: string | number | undefined): number | null {
  if (value === undefined || value === 'N/A') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

function positive(value: number | null): number | null {
  return value !== null && value > 0 ? value : null;
}
