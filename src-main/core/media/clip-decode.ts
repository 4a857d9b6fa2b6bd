import fs from 'node:fs/promises';
import { cleanToolLine, lastErrorLine, runTool } from './run-tool.js';
import { FFMPEG_DAMAGE_LINE } from './ffmpeg-damage.js';

/** How frames are brought to S×S; recorded with models so a user outside the app can repeat it. */
export const CLIP_PREPROCESSING = 'short-side-resize-centre-crop';

export interface FrameDecodeRequest {
  file: string;
  /** Frame indices to keep, 0-based from the first decoded frame, ascending and distinct. */
  frames: readonly number[];
  /** Output side S: the short side is scaled to S, then the centre S×S is cut out. */
  size: number;
  /** Raw rgb24 frames are written here, in the order of `frames`. */
  outFile: string;
  /** The filter graph goes through a file: thousands of frame indices overflow one argument. */
  scriptFile: string;
  signal?: AbortSignal;
}

export interface FrameDecodeResult {
  /** How many of the requested frames came out (a short file or a decode error stops early). */
  framesWritten: number;
  /** A decoder line saying the data is damaged, or null. */
  damage: string | null;
  /** Why ffmpeg failed (non-zero exit or crash), or null when it exited cleanly. */
  failure: string | null;
}

/**
 * ffmpeg 5+ refuses a sum of more than 100 terms in one expression ("Error while parsing expression"; 4.1
 * takes any number), and a video with a dozen 8-frame clips already needs more: sums longer than this are
 * split into parenthesised groups of at most this many terms, nested as deep as it takes.
 */
const TERMS_PER_SUM = 50;

function sumOf(terms: readonly string[]): string {
  if (terms.length <= TERMS_PER_SUM) return terms.join('+');
  const groups: string[] = [];
  for (let i = 0; i < terms.length; i += TERMS_PER_SUM) groups.push(`(${terms.slice(i, i + TERMS_PER_SUM).join('+')})`);
  return sumOf(groups);
}

/** `between(n,a,b)` per run of consecutive indices, so an expression stays short for whole clips. */
export function frameSelectExpression(frames: readonly number[]): string {
  const terms: string[] = [];
  let i = 0;
  while (i < frames.length) {
    const first = frames[i]!;
    let last = first;
    while (i + 1 < frames.length && frames[i + 1] === last + 1) last = frames[++i]!;
    terms.push(first === last ? `eq(n,${first})` : `between(n,${first},${last})`);
    i++;
  }
  return sumOf(terms);
}

/**
 * The filter graph: keep the wanted frames by decode index (n counts every decoded frame, so the
 * count matches the label clips' frame numbers whatever the timestamps say), then scale so the
 * short side of the displayed picture (sample aspect ratio applied) is S, and cut out the centre.
 * ffmpeg's autorotate runs before this, as the player rotates.
 */
export function clipFilterGraph(frames: readonly number[], size: number): string {
  const s = String(size);
  const landscape = 'gte(iw*sar,ih)';
  const width = `if(${landscape},ceil(${s}*iw*sar/ih),${s})`;
  const height = `if(${landscape},${s},ceil(${s}*ih/(iw*sar)))`;
  return [
    `select='${frameSelectExpression(frames)}'`,
    `scale=w='${width}':h='${height}':flags=area`,
    'setsar=1',
    `crop=${s}:${s}`,
    'format=rgb24',
  ].join(',');
}

const SHORT_DECODE_FRAMES = 300;

/** Decoding is at least this fast even for large files on a slow machine; beyond that it hangs. */
function timeoutFor(lastFrame: number): number {
  return 60_000 + lastFrame * 50;
}

/**
 * Decodes the video once from its start and writes the chosen frames as raw S×S rgb24 to
 * `outFile`. Stops right after the last wanted frame. Rejects only for cancel, a timeout
 * (MediaFailure) or an ffmpeg that cannot start; a bad file shows in the result instead.
 */
export async function decodeFramesToFile(ffmpeg: string, request: FrameDecodeRequest): Promise<FrameDecodeResult> {
  const { file, frames, size, outFile, scriptFile } = request;
  const lastFrame = frames[frames.length - 1];
  if (lastFrame === undefined) return { framesWritten: 0, damage: null, failure: null };
  await fs.writeFile(scriptFile, clipFilterGraph(frames, size));
  // Two decodes run side by side on two cores: for a short one, the decoder's own threads cost
  // more to start (a third of the CPU time of a 2 s clip) than they save.
  const threads = lastFrame < SHORT_DECODE_FRAMES ? ['-threads', '1'] : [];
  const args = ['-hide_banner', '-nostdin', '-nostats', '-v', 'error', '-y', ...threads, '-i', file,
    '-map', '0:V:0', '-an', '-sn', '-dn', '-filter_script:v', scriptFile,
    // passthrough: every selected frame exactly once, never duplicated or dropped for timing
    '-vsync', '0', '-frames:v', String(frames.length), '-f', 'rawvideo', '-pix_fmt', 'rgb24', outFile];
  const result = await runTool(ffmpeg, args, {
    timeoutMs: timeoutFor(lastFrame),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  const written = await fs.stat(outFile).catch(() => null);
  const frameBytes = size * size * 3;
  const damage =
    result.stderr
      .split(/\r?\n/)
      .map((line) => cleanToolLine(line, file))
      .find((line) => FFMPEG_DAMAGE_LINE.test(line)) ?? null;
  let failure: string | null = null;
  if (result.crashSignal) failure = `ffmpeg crashed (${result.crashSignal})`;
  else if (result.code !== 0) failure = lastErrorLine(result.stderr, file) || `ffmpeg exited with code ${String(result.code)}`;
  return { framesWritten: written ? Math.floor(written.size / frameBytes) : 0, damage, failure };
}
