/**
 * How far decoding actually got, measured instead of read from ffmpeg's messages: at a damaged or
 * missing WebM cluster ffmpeg stops demuxing and exits 0, and what it prints about it changes with
 * the version (4.1 "Truncating packet …" or "Read error", 5.1 "Length 5 indicated by an EBML
 * number's first byte …" or "File ended prematurely"), so the frames that came out are compared
 * with what the container declares. ffmpeg writes one `framecrc` line per decoded frame; with the
 * `wrapped_avframe` codec no picture is copied, only its timestamps are listed.
 */

/** Output options that make an ffmpeg output list its decoded frames to `file`. */
export function frameListOutput(file: string): string[] {
  return ['-c:v', 'wrapped_avframe', '-f', 'framecrc', file];
}

export interface DecodedSpan {
  frames: number;
  /** Seconds from the start of the output to the end of its last frame; 0 when no frame came out. */
  endSec: number;
}

/**
 * Reads a framecrc listing: `#tb 0: 1/25` gives the time base, then one line per frame,
 * "stream, dts, pts, duration, size, checksum".
 */
export function parseFrameList(text: string): DecodedSpan {
  let timeBase: { num: number; den: number } | null = null;
  let frames = 0;
  let endTicks = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const tb = /^#tb 0:\s*(\d+)\/(\d+)$/.exec(line);
      if (tb) timeBase = { num: Number(tb[1]), den: Number(tb[2]) };
      continue;
    }
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length < 6 || fields[0] !== '0') continue;
    const pts = Number(fields[2]);
    const duration = Number(fields[3]);
    if (!Number.isFinite(pts)) continue;
    frames++;
    endTicks = Math.max(endTicks, pts + (Number.isFinite(duration) && duration > 0 ? duration : 0));
  }
  if (frames === 0 || !timeBase || timeBase.num <= 0 || timeBase.den <= 0) return { frames, endSec: 0 };
  return { frames, endSec: (endTicks * timeBase.num) / timeBase.den };
}

/** Slack for where decoding may legitimately stop short: a quarter second, or three frames of a slow video. */
export function coverageSlack(fps: number | null): number {
  return Math.max(0.25, fps !== null && fps > 0 ? 3 / fps : 0);
}

export interface CoverageCheck {
  /** Where the decoded stretch starts, seconds after the file's start time. */
  fromSec: number;
  /** Where it was asked to end (null: the end of the stream). */
  toSec: number | null;
  /** Where the container says the video ends (VideoProbe.videoEndSec). */
  declaredEndSec: number | null;
  fps: number | null;
  span: DecodedSpan;
}

/**
 * Why this decode shows the file damaged, or null: it stopped well before the point the stretch
 * should reach, as far as the container declares the video goes. Nothing is judged when the
 * container declares nothing. Where decoding starts is not judged either: footage cut between
 * keyframes legitimately has no pictures until its first keyframe.
 */
export function shortDecodeReason(check: CoverageCheck): string | null {
  const { fromSec, toSec, declaredEndSec, fps, span } = check;
  if (declaredEndSec === null) return null;
  const target = Math.min(toSec ?? declaredEndSec, declaredEndSec);
  const slack = coverageSlack(fps);
  if (target - fromSec <= slack) return null;
  const reached = fromSec + span.endSec;
  if (reached >= target - slack) return null;
  return span.frames === 0
    ? `no frame decodes after ${seconds(fromSec)}, but the file says its video lasts ${seconds(declaredEndSec)}`
    : `frames decode only up to ${seconds(reached)}, but the file says its video lasts ${seconds(declaredEndSec)}`;
}

function seconds(value: number): string {
  return `${value.toFixed(2)} s`;
}
