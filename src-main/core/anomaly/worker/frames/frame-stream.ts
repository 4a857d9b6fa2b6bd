import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { ApiError } from '../../../../shared/errors.js';
import { MediaFailure } from '../../../media/media-failure.js';
import { resolveMediaTools, toolEnv, type MediaTools } from '../../../media/media-tools.js';
import { cleanToolLine, lastErrorLine } from '../../../media/run-tool.js';
import { readVideoHeader } from './video-header.js';
import { displaySize, workingSize, type DisplaySize } from './working-size.js';
import { shortDecodeReason } from '../../../media/decode-coverage.js';
import { FFMPEG_DAMAGE_LINE } from '../../../media/ffmpeg-damage.js';
import { frameStepFor } from '../../../../shared/anomaly-time.js';

export interface FrameStreamOptions {
  /** The displayed picture's longer side is scaled to this many pixels (never enlarged); both sides even. */
  longSide: number;
  tools?: MediaTools;
  /** Aborting kills ffmpeg at once; the iteration then rejects with a CANCELLED ApiError. */
  signal?: AbortSignal;
  /** Decoded frames held ahead of the consumer, so decoding overlaps with the consumer's work. */
  bufferFrames?: number;
  /**
   * Read ahead by memory instead: as many frames as fit in this many bytes at the working size (never fewer
   * than the default bufferFrames). Overrides bufferFrames.
   */
  bufferBytes?: number;
  /** 'fail' (default): a decoder error in the file ends the stream with a MediaFailure; 'ignore': keep going. */
  damage?: 'fail' | 'ignore';
  /**
   * Keep only frames 0, k, 2k, … with k = frameStepFor(header fps, sampleFps) (fixed temporal resolution),
   * dropped by ffmpeg before they are scaled and piped; delivered frames keep their video index. 0 or
   * absent: every frame.
   */
  sampleFps?: number;
  /** ffmpeg is killed when it produces nothing for this long while the consumer waits. */
  stallTimeoutMs?: number;
}

export const FRAME_STREAM_DEFAULTS = { bufferFrames: 4, stallTimeoutMs: 60_000 } as const;

/** One decoded frame: interleaved rgb24, row-major, width × height × 3 bytes; the consumer owns the array. */
export interface VideoFrame {
  /** 0-based decode index (every decoded frame counts, as clip decoding numbers them). */
  index: number;
  rgb: Uint8Array;
  width: number;
  height: number;
}

/**
 * The ffmpeg command that writes the first video stream as raw rgb24 frames of width × height to stdout:
 * every frame, or frames 0, k, 2k, … for a frame step k > 1.
 */
export function frameStreamArgs(file: string, width: number, height: number, frameStep = 1): string[] {
  // autorotate turns the picture before this graph, so the size is the displayed one
  const scale = `scale=${width}:${height}:flags=area,setsar=1,format=rgb24`;
  const video = ['-map', '0:V:0', '-an', '-sn', '-dn'];
  return ['-hide_banner', '-nostdin', '-nostats', '-v', 'error',
    // key=value lines on stderr: the last out_time says how far decoding got, frame= how many frames the
    // first output took (see FrameStream.ending)
    '-progress', 'pipe:2', '-i', file,
    // passthrough: every decoded frame exactly once, never duplicated or dropped for timing
    '-vsync', '0',
    // With a frame step, a first output that keeps nothing counts every decoded frame for the progress report.
    ...(frameStep > 1 ? [...video, '-f', 'null', '-'] : []),
    ...video, '-vf', frameStep > 1 ? `select=not(mod(n\\,${frameStep})),${scale}` : scale,
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];
}

function checkOptions(options: FrameStreamOptions): { bufferFrames: number; stallTimeoutMs: number } {
  const bufferFrames = options.bufferFrames ?? FRAME_STREAM_DEFAULTS.bufferFrames;
  const stallTimeoutMs = options.stallTimeoutMs ?? FRAME_STREAM_DEFAULTS.stallTimeoutMs;
  if (!Number.isInteger(bufferFrames) || bufferFrames < 1) throw new Error(`frame stream: bufferFrames must be a whole number ≥ 1, got ${bufferFrames}`);
  if (options.sampleFps !== undefined && !(options.sampleFps >= 0)) throw new Error(`frame stream: sampleFps must be a number ≥ 0, got ${options.sampleFps}`);
  if (options.bufferBytes !== undefined && !(options.bufferBytes > 0)) throw new Error(`frame stream: bufferBytes must be positive, got ${options.bufferBytes}`);
  if (!(stallTimeoutMs > 0)) throw new Error(`frame stream: stallTimeoutMs must be positive, got ${stallTimeoutMs}`);
  return { bufferFrames, stallTimeoutMs };
}

/**
 * A video's frames at a working resolution, decoded by one ffmpeg process and read over a pipe, one at a
 * time. Memory stays bounded whatever the video's length: at most `bufferFrames` decoded frames wait in
 * the queue, plus less than one pipe read of raw bytes; when the queue is full the pipe is not read and
 * ffmpeg blocks. Iterate once; leaving the loop early (break, throw) kills ffmpeg.
 */
export class FrameStream implements AsyncIterable<VideoFrame> {
  readonly frameBytes: number;
  /** ffmpeg's process id while it runs (for diagnostics and tests). */
  readonly pid: number | undefined;
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;
  private readonly queue: Uint8Array[] = [];
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private paused = false;
  private exited = false;
  private exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
  private failure: Error | null = null;
  private stderr = '';
  /** The end of the last frame ffmpeg wrote, as its progress report says (seconds from the output's start). */
  private decodedEndSec: number | null = null;
  /** Frames decoded so far, as the progress report counts them (with a frame step; else every frame is read). */
  private progressFrames: number | null = null;
  /** The last stderr line while it is still incomplete. */
  private stderrTail = '';
  private wake: (() => void) | null = null;
  private read = 0;
  private delivered = 0;
  private iterated = false;
  private stallTimer: NodeJS.Timeout | null = null;
  private readonly onAbort = () => this.fail(new ApiError('CANCELLED', 'Cancelled.'));

  constructor(
    readonly file: string,
    readonly width: number,
    readonly height: number,
    /** The picture as a player shows it (sample aspect and rotation applied), which `width` × `height` scale down. */
    readonly display: DisplaySize,
    /** From the header, for progress only: the stream may hold more or fewer frames. */
    readonly expectedFrames: number | null,
    readonly fps: number | null,
    /** Where the container says the video ends (VideoHeader.declaredEndSec): decoding to the end must reach it. */
    private readonly declaredEndSec: number | null,
    ffmpeg: string,
    private readonly options: FrameStreamOptions,
    private readonly limits: { bufferFrames: number; stallTimeoutMs: number },
    /** Frames 0, k, 2k, … are delivered (1: every frame). */
    readonly frameStep: number = 1,
  ) {
    this.frameBytes = width * height * 3;
    this.child = spawn(ffmpeg, frameStreamArgs(file, width, height, frameStep), {
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      env: toolEnv(ffmpeg),
    });
    this.pid = this.child.pid;
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (text: string) => this.onStderr(text));
    this.child.on('error', (err: NodeJS.ErrnoException) => {
      this.fail(
        err.code === 'ENOENT'
          ? new ApiError('MEDIA_ERROR', `Cannot run ${ffmpeg}: it was not found. Set FFMPEG_PATH.`)
          : new ApiError('MEDIA_ERROR', `Cannot run ${ffmpeg}: ${err.message}`),
      );
    });
    this.child.on('close', (code, signal) => {
      this.exited = true;
      this.exit = { code, signal };
      this.onStderr('\n');
      this.clearStallTimer();
      this.notify();
    });
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Frames taken off the pipe so far (delivered plus waiting in the queue). */
  get framesRead(): number {
    return this.read;
  }

  /** Frames handed to the consumer so far. */
  get framesDelivered(): number {
    return this.delivered;
  }

  /**
   * Video frames decoded so far: those read, or with a frame step all that ffmpeg decoded (the kept ones
   * and those between). Once the stream has ended, the video's frame count.
   */
  get framesDecoded(): number {
    if (this.frameStep === 1) return this.read;
    const lastRead = this.read === 0 ? 0 : (this.read - 1) * this.frameStep + 1;
    return Math.max(lastRead, this.progressFrames ?? 0);
  }

  /**
   * The frame rate the decoder really delivered, once ffmpeg has finished: the header's rate, unless frames
   * over decoded time disagrees with it by more than 10% (an AVI whose index has empty slots for dropped
   * frames promises 15 fps and yields a few per second; see media/probe.ts). Null while decoding.
   */
  get deliveredFps(): number | null {
    if (!this.exited) return null;
    const endSec = this.decodedEndSec;
    const frames = this.framesDecoded;
    if (endSec === null || endSec <= 0 || frames < 2) return this.fps;
    const measured = frames / endSec;
    return this.fps !== null && Math.abs(measured - this.fps) <= 0.1 * this.fps ? this.fps : measured;
  }

  /** Raw bytes held in memory now: queued frames plus the part of the next frame already read. */
  get bufferedBytes(): number {
    return this.queue.length * this.frameBytes + this.pendingBytes;
  }

  /** True once ffmpeg has exited (on its own or killed). */
  get finished(): boolean {
    return this.exited;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<VideoFrame, void, undefined> {
    if (this.iterated) throw new Error('frame stream: a stream can be iterated only once');
    this.iterated = true;
    try {
      for (;;) {
        const rgb = await this.next();
        if (rgb === null) return;
        yield { index: this.frameStep * this.delivered++, rgb, width: this.width, height: this.height };
      }
    } finally {
      this.close();
    }
  }

  /** Kills ffmpeg (if still running) and drops what was buffered. Safe to call more than once. */
  close(): void {
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.clearStallTimer();
    if (!this.exited) this.child.kill('SIGKILL');
    this.queue.length = 0;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private async next(): Promise<Uint8Array | null> {
    for (;;) {
      if (this.failure) throw this.failure;
      const frame = this.queue.shift();
      if (frame) {
        this.fillQueue();
        return frame;
      }
      if (this.exited) return this.ending();
      await this.change();
    }
  }

  /** What the end of ffmpeg's output means: the end of the video, or an error that says why not. */
  private ending(): null {
    const where = `${this.file}: frame ${this.framesDecoded}`;
    if (this.exit.signal) throw new MediaFailure(`${where}: ffmpeg was killed (${this.exit.signal}) while decoding`);
    if (this.exit.code !== 0) {
      throw new MediaFailure(`${where}: ffmpeg failed: ${lastErrorLine(this.stderr, this.file) || `exit code ${String(this.exit.code)}`}`);
    }
    if (this.pendingBytes > 0) {
      throw new MediaFailure(
        `${where}: the frame stream is truncated: it ended ${this.pendingBytes} bytes into a frame of ${this.frameBytes} (${this.width}×${this.height} rgb24)`,
      );
    }
    // At a damaged cluster ffmpeg can stop quietly and exit 0, saying so in words that change between
    // versions: how far the frames reached, against what the container declares, says it either way.
    const short =
      this.options.damage === 'ignore'
        ? null
        : shortDecodeReason({
            fromSec: 0,
            toSec: null,
            declaredEndSec: this.declaredEndSec,
            fps: this.fps,
            span: { frames: this.framesDecoded, endSec: this.decodedEndSec ?? 0 },
          });
    if (short !== null) throw new MediaFailure(`${this.file}: the file is truncated or corrupt: ${short}`);
    return null;
  }

  private onData(chunk: Buffer): void {
    if (this.failure) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.fillQueue();
    this.notify();
  }

  /** Cuts whole frames off the pending bytes while the queue has room; reads the pipe only while it has. */
  private fillQueue(): void {
    while (this.queue.length < this.limits.bufferFrames && this.pendingBytes >= this.frameBytes) {
      this.queue.push(this.takeFrame());
      this.read++;
    }
    const full = this.queue.length >= this.limits.bufferFrames;
    if (full && !this.paused) {
      this.paused = true;
      this.child.stdout.pause();
    } else if (!full && this.paused) {
      this.paused = false;
      this.child.stdout.resume();
    }
  }

  private takeFrame(): Uint8Array {
    const frame = new Uint8Array(this.frameBytes);
    let filled = 0;
    while (filled < this.frameBytes) {
      const chunk = this.pending[0]!;
      const take = Math.min(chunk.length, this.frameBytes - filled);
      frame.set(chunk.subarray(0, take), filled);
      filled += take;
      if (take === chunk.length) this.pending.shift();
      else this.pending[0] = chunk.subarray(take);
    }
    this.pendingBytes -= this.frameBytes;
    return frame;
  }

  private onStderr(text: string): void {
    const lines = (this.stderrTail + text).split(/\r?\n/);
    this.stderrTail = lines.pop() ?? '';
    for (const line of lines) {
      if (this.onProgressLine(line)) continue;
      // Damage lines are short and few; a file that floods stderr has failed long before this caps.
      if (this.stderr.length < 1_000_000) this.stderr += `${line}\n`;
      this.checkDamage(line);
    }
  }

  /** Takes a `-progress` line (key=value); false for any other line. */
  private onProgressLine(line: string): boolean {
    const match = /^([a-z_]+)=(.*)$/.exec(line.trim());
    if (match === null) return false;
    if (match[1] === 'out_time_us') {
      const micros = Number(match[2]);
      if (Number.isFinite(micros) && micros >= 0) this.decodedEndSec = micros / 1e6;
    } else if (match[1] === 'frame') {
      const frames = Number(match[2]);
      if (Number.isInteger(frames) && frames >= 0) this.progressFrames = frames;
    }
    return true;
  }

  private checkDamage(raw: string): void {
    if (this.options.damage === 'ignore' || this.failure) return;
    const line = cleanToolLine(raw, this.file);
    if (!FFMPEG_DAMAGE_LINE.test(line)) return;
    this.fail(new MediaFailure(`${this.file}: the file is truncated or corrupt (decoding failed near frame ${this.framesDecoded}): ${line}`));
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.close();
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private change(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
      this.clearStallTimer();
      this.stallTimer = setTimeout(() => {
        const seconds = Math.round(this.limits.stallTimeoutMs / 1000);
        this.fail(new MediaFailure(`${this.file}: ffmpeg produced no frame for ${seconds} s after frame ${this.framesDecoded}`));
      }, this.limits.stallTimeoutMs);
    }).finally(() => this.clearStallTimer());
  }

  private clearStallTimer(): void {
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = null;
  }
}

/**
 * Opens a video for streaming: reads its header (a missing, unreadable or non-video file fails here with
 * a MediaFailure saying why), picks the working size and starts ffmpeg.
 */
export async function openFrameStream(file: string, options: FrameStreamOptions): Promise<FrameStream> {
  const limits = checkOptions(options);
  if (options.signal?.aborted) throw new ApiError('CANCELLED', 'Cancelled.');
  const tools = options.tools ?? resolveMediaTools();
  const header = await readVideoHeader(tools, file, options.signal);
  const display = displaySize(header);
  const size = workingSize(display, options.longSide);
  if (options.bufferBytes !== undefined) {
    limits.bufferFrames = Math.max(FRAME_STREAM_DEFAULTS.bufferFrames, Math.floor(options.bufferBytes / (size.width * size.height * 3)));
  }
  if (options.signal?.aborted) throw new ApiError('CANCELLED', 'Cancelled.');
  const frameStep = frameStepFor(header.fps, options.sampleFps ?? 0);
  return new FrameStream(file, size.width, size.height, display, header.expectedFrames, header.fps, header.declaredEndSec, tools.ffmpeg, options, limits, frameStep);
}
