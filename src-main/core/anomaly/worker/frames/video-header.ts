import fs from 'node:fs/promises';
import { z } from 'zod';
import { fileErrorReason, MediaFailure } from '../../../media/media-failure.js';
import type { MediaTools } from '../../../media/media-tools.js';
import { declaredStreamEnd, probeFailureReason, rationalToNumber, rotationOf } from '../../../media/probe.js';
import { runTool } from '../../../media/run-tool.js';
import type { StoredPicture } from './working-size.js';

/** What streaming needs from the header of the first video stream (`0:V:0`, no cover pictures). */
export interface VideoHeader extends StoredPicture {
  /** Frames the header promises (nb_frames, else duration × rate), for progress only; null when unknown. */
  expectedFrames: number | null;
  fps: number | null;
  /** Where the container says the video ends, seconds after the file's start; null when it says nothing (see declaredStreamEnd). */
  declaredEndSec: number | null;
}

const numeric = z.union([z.string(), z.number()]).optional();

const headerSchema = z.object({
  streams: z
    .array(
      z.object({
        width: z.number().optional(),
        height: z.number().optional(),
        sample_aspect_ratio: z.string().optional(),
        avg_frame_rate: z.string().optional(),
        r_frame_rate: z.string().optional(),
        nb_frames: numeric,
        duration: numeric,
        start_time: numeric,
        tags: z.record(z.string(), z.string()).optional(),
        side_data_list: z.array(z.object({ rotation: z.number().optional() }).loose()).optional(),
      }),
    )
    .default([]),
  format: z.object({ duration: numeric, format_name: z.string().optional(), start_time: numeric }).optional(),
});

const HEADER_TIMEOUT_MS = 30_000;

function toNumber(value: string | number | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** "4:3" → 1.333…; "0:1", "N/A" or missing → 1 (square pixels). */
function aspectOf(ratio: string | undefined): number {
  const [num, den] = (ratio ?? '').split(':').map(Number);
  const value = (num ?? NaN) / (den ?? NaN);
  return Number.isFinite(value) && value > 0 ? value : 1;
}

/**
 * Reads only the header (no packet counting: an hour of webm would be demuxed twice). Throws a
 * MediaFailure saying what is wrong with the file: missing, unreadable, not a video, no picture size.
 */
export async function readVideoHeader(tools: MediaTools, file: string, signal?: AbortSignal): Promise<VideoHeader> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new MediaFailure(`${file}: not a regular file`);
  } catch (err) {
    if (err instanceof MediaFailure) throw err;
    throw new MediaFailure(`${file}: ${fileErrorReason(err)}`);
  }
  const result = await runTool(
    tools.ffprobe,
    ['-v', 'error', '-select_streams', 'V:0', '-print_format', 'json',
      '-show_entries', 'stream=width,height,sample_aspect_ratio,avg_frame_rate,r_frame_rate,nb_frames,duration,start_time:stream_tags=rotate,DURATION:stream_side_data=rotation:format=duration,format_name,start_time',
      file],
    { timeoutMs: HEADER_TIMEOUT_MS, ...(signal ? { signal } : {}) },
  );
  if (result.crashSignal) throw new MediaFailure(`${file}: ffprobe crashed (${result.crashSignal}) while reading the header`);
  if (result.code !== 0) throw new MediaFailure(`${file}: ${probeFailureReason(result.stderr, file)}`);
  let json: unknown;
  try {
    json = JSON.parse(result.stdout);
  } catch {
    throw new MediaFailure(`${file}: ffprobe gave an unreadable answer`);
  }
  const parsed = headerSchema.safeParse(json);
  if (!parsed.success) throw new MediaFailure(`${file}: ffprobe gave an unexpected answer`);
  const stream = parsed.data.streams[0];
  if (!stream) throw new MediaFailure(`${file}: no video stream`);
  if (!stream.width || !stream.height) throw new MediaFailure(`${file}: file is truncated or corrupt: the video stream has no picture size`);
  const fps = rationalToNumber(stream.avg_frame_rate) ?? rationalToNumber(stream.r_frame_rate);
  const counted = toNumber(stream.nb_frames);
  const duration = toNumber(stream.duration) ?? toNumber(parsed.data.format?.duration);
  const expectedFrames =
    counted !== null && counted > 0 ? Math.round(counted) : duration !== null && duration > 0 && fps !== null ? Math.round(duration * fps) : null;
  return {
    width: stream.width,
    height: stream.height,
    sampleAspect: aspectOf(stream.sample_aspect_ratio),
    rotation: rotationOf(stream),
    expectedFrames,
    fps,
    declaredEndSec: declaredStreamEnd(parsed.data.format, stream) ?? null,
  };
}
