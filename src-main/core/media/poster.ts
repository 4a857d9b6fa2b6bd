import fs from 'node:fs/promises';
import { claimTemp, commitTemp, removeQuietly, tempPathFor } from './cache-files.js';
import { MediaFailure } from './media-failure.js';
import type { MediaTools } from './media-tools.js';
import type { VideoProbe } from './probe.js';
import { cleanToolLine, runTool } from './run-tool.js';
import { FFMPEG_DAMAGE_LINE } from './ffmpeg-damage.js';
import { frameListOutput, parseFrameList, shortDecodeReason } from './decode-coverage.js';

export const POSTER_WIDTH = 320;
const POSTER_TIMEOUT_MS = 120_000;
const CHECK_WINDOW_SEC = 0.5;

interface DecodeWindow {
  start: number;
  /** null: to the end of the file. */
  length: number | null;
}

/** Where to take the poster: ~10% in, or frame 0 for clips shorter than a second. */
export function posterTime(probe: Pick<VideoProbe, 'durationSec'>): number {
  const duration = probe.durationSec;
  return duration !== null && duration >= 1 ? duration * 0.1 : 0;
}

/** Stretches decoded to prove the file is intact: all of a short clip, else its middle and end. */
export function decodeWindows(probe: Pick<VideoProbe, 'durationSec'>): DecodeWindow[] {
  const duration = probe.durationSec;
  if (duration === null) return [{ start: 0, length: 2 }];
  if (duration <= 3) return [{ start: 0, length: null }];
  return [
    { start: duration / 2 - CHECK_WINDOW_SEC / 2, length: CHECK_WINDOW_SEC },
    { start: Math.max(0, duration - CHECK_WINDOW_SEC - 0.1), length: CHECK_WINDOW_SEC },
  ];
}

/**
 * Writes a poster JPEG (at most 320 px wide) to `destAbs` and, in the same ffmpeg run, decodes
 * the check windows, listing their frames. Throws MediaFailure when no frame decodes, the decoder
 * reports damage, or a window's frames stop short of what the container declares (which is how
 * a damaged file shows whatever ffmpeg version says or does not say about it); nothing is left at
 * `destAbs` (or at a temp name) unless the whole check passed.
 */
export async function makePoster(
  tools: MediaTools,
  file: string,
  probe: VideoProbe,
  destAbs: string,
  signal?: AbortSignal,
): Promise<void> {
  const temp = tempPathFor(destAbs);
  const windows = decodeWindows(probe);
  const seek = posterTime(probe);
  const args = ['-hide_banner', '-nostdin', '-v', 'error', '-y'];
  if (seek > 0) args.push('-ss', seek.toFixed(3));
  args.push('-i', file);
  for (const w of windows) {
    if (w.start > 0) args.push('-ss', w.start.toFixed(3));
    if (w.length !== null) args.push('-t', w.length.toFixed(3));
    args.push('-i', file);
  }
  const stream = String(probe.streamIndex);
  args.push('-map', `0:${stream}`, '-frames:v', '1', '-vf', `scale='min(${POSTER_WIDTH},iw)':-2`, '-q:v', '4', temp);
  // Each check window lists its frames to a file of its own: one muxer per window, none waits on another.
  const checks = windows.map((window, i) => ({ window, list: `${temp}.window-${i}.txt` }));
  checks.forEach(({ list }, i) => args.push('-map', `${i + 1}:${stream}`, ...frameListOutput(list)));
  await claimTemp(temp);
  try {
    const result = await runTool(tools.ffmpeg, args, { signal, timeoutMs: POSTER_TIMEOUT_MS });
    const damage = result.stderr
      .split(/\r?\n/)
      .map((line) => cleanToolLine(line, file))
      .find((line) => FFMPEG_DAMAGE_LINE.test(line));
    // First what was decoded against what the file declares: the same answer from every ffmpeg.
    if (result.code === 0 && !result.crashSignal) {
      for (const { window, list } of checks) {
        const short = shortDecodeReason({
          fromSec: window.start,
          toSec: window.length === null ? null : window.start + window.length,
          declaredEndSec: probe.videoEndSec,
          fps: probe.fps,
          span: parseFrameList(await fs.readFile(list, 'utf8').catch(() => '')),
        });
        if (short) throw new MediaFailure(`file is truncated or corrupt: ${short}`);
      }
    }
    if (damage) throw new MediaFailure(`file is truncated or corrupt: frames do not decode (${damage})`);
    if (result.crashSignal) throw new MediaFailure(`ffmpeg crashed (${result.crashSignal}) while decoding this file`);
    const written = await fs.stat(temp).catch(() => null);
    if (result.code !== 0 || !written || written.size === 0) {
      const detail = cleanToolLine(result.stderr.trim().split(/\r?\n/).pop() ?? '', file);
      throw new MediaFailure(
        `file is truncated or corrupt: no frame could be decoded${detail ? ` (${detail})` : ''}`,
      );
    }
    await commitTemp(temp, destAbs);
  } finally {
    await Promise.all([temp, ...checks.map(({ list }) => list)].map(removeQuietly));
  }
}
