import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../../shared/errors.js';
import { claimTemp } from '../../media/cache-files.js';
import { decodeFramesToFile } from '../../media/clip-decode.js';
import { probeFrameTimes } from '../../media/clip-frame-times.js';
import { fileErrorReason, MediaFailure } from '../../media/media-failure.js';
import type { MediaTools } from '../../media/media-tools.js';
import { cacheWriteError } from '../../project/project-files.js';
import { ClipFailure } from './clip-failure.js';
import { clipFrameIndices, clipIntervalProblem, unionOfFrames } from './clip-frames.js';
import type { ClipRef } from './clip-ref.js';
import { removeStaleTempFiles, writeCacheFileAtomically } from './stale-temp-files.js';
import { clipByteLength, clipSpecKey, type ClipSpec } from './clip-spec.js';

export interface EnsureOptions {
  /** Aborting kills this call's ffmpeg runs; the call then rejects with a CANCELLED ApiError. */
  signal?: AbortSignal;
  /** Called after each clip is decoded, found cached or failed. */
  onProgress?(done: number, total: number): void;
  /** At most this many of this call's ffmpeg runs at once (never more than the cache's maxProcesses). */
  concurrency?: number;
  /** Decode after every other waiting request (e.g. unlabelled clips while labelled ones train). */
  background?: boolean;
}

export interface EnsureResult {
  failed: { clip: ClipRef; reason: string }[];
}

export interface ClipCacheOptions {
  /** ffmpeg/ffprobe processes at once over all calls; default 2 (one per core here). */
  maxProcesses?: number;
}

/** What the cache did, for logs and tests. */
export interface ClipCacheStats {
  /** ffmpeg decoding runs started. */
  decodePasses: number;
  /** ffprobe runs for frame timestamps (fps-sampled specs only). */
  frameTimeProbes: number;
  /** Clip files written. */
  clipsWritten: number;
}

const PRIORITY_BACKGROUND = 0;
const PRIORITY_ENSURE = 1;
const PRIORITY_READ = 2;

interface Group {
  limit: number;
  running: number;
}

/** One ffmpeg run over one video, producing several of its clips. */
interface Pass {
  videoPath: string;
  videoHash: string;
  clips: ClipRef[];
  priority: number;
  group: Group;
  controller: AbortController;
  finished: Promise<void>;
  markFinished(): void;
}

interface Pending {
  promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
  pass: Pass;
}

function cancelled(): ApiError {
  return new ApiError('CANCELLED', 'Cancelled.');
}

function isCancel(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'CANCELLED';
}

function safeName(text: string): string {
  return text.replace(/[^a-zA-Z0-9_-]/g, '_').slice(-64) || 'video';
}

/**
 * Decoded clips on disk, one file per clip: `<cacheDir>/<specKey>/<videoHash>/<start>-<end>.u8`
 * holding T·S·S·3 bytes (frame-major rgb24). Missing clips are decoded with one ffmpeg run per
 * video, at most `maxProcesses` runs at once; files appear atomically (temp + rename), so a
 * killed run never leaves a half clip behind under a final name.
 */
export class ClipCache {
  readonly stats: ClipCacheStats = { decodePasses: 0, frameTimeProbes: 0, clipsWritten: 0 };
  private readonly specDir: string;
  private readonly bytes: number;
  private readonly maxProcesses: number;
  private readonly pending = new Map<string, Pending>();
  /** Clips that failed with a reason that a retry would only repeat (bad file, bad interval). */
  private readonly failures = new Map<string, string>();
  private readonly frameTimes = new Map<string, Promise<Float64Array>>();
  private readonly queue: Pass[] = [];
  private readonly readGroup: Group = { limit: Number.POSITIVE_INFINITY, running: 0 };
  private running = 0;

  constructor(
    readonly cacheDir: string,
    readonly spec: ClipSpec,
    private readonly tools: MediaTools,
    options: ClipCacheOptions = {},
  ) {
    if (!Number.isInteger(spec.frames) || spec.frames < 1) throw new Error(`clip spec frames must be ≥ 1, got ${spec.frames}`);
    if (!Number.isInteger(spec.size) || spec.size < 2) throw new Error(`clip spec size must be ≥ 2, got ${spec.size}`);
    if (spec.fps !== null && !(spec.fps > 0)) throw new Error(`clip spec fps must be > 0 or null, got ${spec.fps}`);
    this.specDir = path.join(cacheDir, clipSpecKey(spec));
    this.bytes = clipByteLength(spec);
    this.maxProcesses = Math.max(1, options.maxProcesses ?? 2);
  }

  /** Where a clip's bytes live (whether or not they are there yet). */
  clipPath(clip: ClipRef): string {
    return path.join(this.specDir, safeName(clip.videoHash), `${clip.startFrame}-${clip.endFrame}.u8`);
  }

  has(clip: ClipRef): boolean {
    return fs.existsSync(this.clipPath(clip));
  }

  /** Decodes every clip that is not cached yet; clips that cannot be decoded are listed with the reason. */
  async ensure(clips: readonly ClipRef[], options: EnsureOptions = {}): Promise<EnsureResult> {
    const { signal } = options;
    if (signal?.aborted) throw cancelled();
    const unique = [...new Map(clips.map((clip) => [this.clipPath(clip), clip])).values()];
    const total = unique.length;
    let done = 0;
    const failed: EnsureResult['failed'] = [];
    const group: Group = {
      limit: Math.max(1, Math.min(options.concurrency ?? this.maxProcesses, this.maxProcesses)),
      running: 0,
    };
    const priority = options.background ? PRIORITY_BACKGROUND : PRIORITY_ENSURE;
    const own: Pass[] = [];
    let stopWaiting = () => {};
    const aborted = new Promise<void>((resolve) => (stopWaiting = resolve));
    const onAbort = () => {
      this.cancelGroup(group, own);
      stopWaiting(); // clips in other calls' runs may take long: do not wait for them
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const fatal: Error[] = [];
    const report = () => {
      if (!signal?.aborted) options.onProgress?.(done, total);
    };
    try {
      let todo = unique.filter((clip) => !this.has(clip));
      done = total - todo.length;
      report();
      while (todo.length > 0 && !signal?.aborted) {
        own.push(...this.schedule(todo, priority, group));
        const retry: ClipRef[] = [];
        const settled = Promise.all(
          todo.map((clip) =>
            this.waitFor(clip).then(
              () => {
                done++;
                report();
              },
              (error: unknown) => {
                if (error instanceof ClipFailure) {
                  failed.push({ clip, reason: error.reason });
                  done++;
                  report();
                } else if (isCancel(error)) {
                  // Someone else's run was cancelled under us: ask again (unless we were cancelled too).
                  if (!signal?.aborted) retry.push(clip);
                } else {
                  fatal.push(error instanceof Error ? error : new Error(String(error)));
                }
              },
            ),
          ),
        );
        await Promise.race([settled, aborted]);
        if (fatal[0]) throw fatal[0];
        todo = retry;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // Our killed runs end within moments; runs a read() took over keep going.
      if (signal?.aborted) await Promise.all(own.filter((pass) => pass.group === group).map((pass) => pass.finished));
    }
    if (signal?.aborted) throw cancelled();
    return { failed };
  }

  /** The clip's T·S·S·3 bytes; waits for a decode already under way, decodes it now when missing. */
  async read(clip: ClipRef): Promise<Uint8Array> {
    for (;;) {
      const known = this.failures.get(this.clipPath(clip));
      if (known !== undefined) throw new ClipFailure(clip, known);
      const pending = this.pending.get(this.clipPath(clip));
      if (pending) {
        this.promote(pending.pass);
        try {
          await pending.promise;
        } catch (error) {
          if (!isCancel(error)) throw error;
        }
        continue;
      }
      const bytes = await this.readFile(clip);
      if (bytes) return bytes;
      this.schedule([clip], PRIORITY_READ, this.readGroup);
    }
  }

  /** Reads several clips at once (file reads overlap; missing clips are decoded first). */
  readMany(clips: readonly ClipRef[]): Promise<Uint8Array[]> {
    return Promise.all(clips.map((clip) => this.read(clip)));
  }

  private async readFile(clip: ClipRef): Promise<Uint8Array | null> {
    const file = this.clipPath(clip);
    let bytes: Buffer;
    try {
      bytes = await fsp.readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new ClipFailure(clip, `${file}: cannot read the cached clip: ${fileErrorReason(error)}`);
    }
    if (bytes.length === this.bytes) return bytes;
    // Not written by this code (writes are atomic): drop it and decode again.
    await fsp.rm(file, { force: true });
    return null;
  }

  private waitFor(clip: ClipRef): Promise<void> {
    const key = this.clipPath(clip);
    const known = this.failures.get(key);
    if (known !== undefined) return Promise.reject(new ClipFailure(clip, known));
    return this.pending.get(key)?.promise ?? Promise.resolve();
  }

  /** Queues one pass per video for the clips that are neither cached, failed nor being decoded. */
  private schedule(clips: readonly ClipRef[], priority: number, group: Group): Pass[] {
    const byVideo = new Map<string, ClipRef[]>();
    for (const clip of clips) {
      const key = this.clipPath(clip);
      if (this.pending.has(key) || this.failures.has(key) || this.has(clip)) continue;
      const videoKey = `${clip.videoHash}\0${clip.videoPath}`;
      const list = byVideo.get(videoKey);
      if (list) list.push(clip);
      else byVideo.set(videoKey, [clip]);
    }
    const passes: Pass[] = [];
    for (const videoClips of byVideo.values()) {
      const first = videoClips[0]!;
      let markFinished = () => {};
      const finished = new Promise<void>((resolve) => (markFinished = resolve));
      const pass: Pass = {
        videoPath: first.videoPath,
        videoHash: first.videoHash,
        clips: videoClips,
        priority,
        group,
        controller: new AbortController(),
        finished,
        markFinished,
      };
      for (const clip of videoClips) this.pending.set(this.clipPath(clip), this.makePending(pass));
      passes.push(pass);
      this.queue.push(pass);
    }
    this.pump();
    return passes;
  }

  private makePending(pass: Pass): Pending {
    let resolve = () => {};
    let reject: (error: Error) => void = () => {};
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => undefined); // waiters handle it; nobody waiting is fine too
    return { promise, resolve, reject, pass };
  }

  private promote(pass: Pass): void {
    if (pass.priority >= PRIORITY_READ) return;
    pass.priority = PRIORITY_READ;
    pass.group = this.readGroup;
    this.pump();
  }

  private cancelGroup(group: Group, own: readonly Pass[]): void {
    for (const pass of own) {
      if (pass.group !== group) continue; // promoted by a read that still needs it
      const queued = this.queue.indexOf(pass);
      if (queued >= 0) {
        this.queue.splice(queued, 1);
        for (const clip of pass.clips) this.settle(clip, cancelled());
        pass.markFinished();
      } else {
        pass.controller.abort();
      }
    }
  }

  private pump(): void {
    while (this.running < this.maxProcesses) {
      let best: Pass | undefined;
      for (const pass of this.queue) {
        if (pass.group.running < pass.group.limit && (!best || pass.priority > best.priority)) best = pass;
      }
      if (!best) return;
      const pass = best;
      this.queue.splice(this.queue.indexOf(pass), 1);
      this.running++;
      pass.group.running++;
      const group = pass.group;
      void this.runPass(pass).finally(() => {
        this.running--;
        group.running--;
        pass.markFinished();
        this.pump();
      });
    }
  }

  private settle(clip: ClipRef, error: Error | null): void {
    const key = this.clipPath(clip);
    const pending = this.pending.get(key);
    if (!pending) return;
    this.pending.delete(key);
    if (error instanceof ClipFailure) this.failures.set(key, error.reason);
    if (error) pending.reject(error);
    else pending.resolve();
  }

  /** Decodes one video's clips; settles every clip of the pass, never rejects. */
  private async runPass(pass: Pass): Promise<void> {
    const { videoPath } = pass;
    const signal = pass.controller.signal;
    const dir = path.join(this.specDir, safeName(pass.videoHash));
    const stamp = `${process.pid}-${randomBytes(4).toString('hex')}`;
    const rawFile = path.join(dir, `.decode-${stamp}.rgb`);
    const scriptFile = path.join(dir, `.decode-${stamp}.filter`);
    // Settled only after the temp files are gone, so a finished call leaves nothing behind.
    const outcomes = new Map<ClipRef, Error | null>();
    const failAll = (reason: string) => {
      for (const clip of pass.clips) {
        if (outcomes.get(clip) !== null) outcomes.set(clip, new ClipFailure(clip, `${videoPath}: ${reason}`));
      }
    };
    try {
      const stat = await fsp.stat(videoPath).catch((error: unknown) => {
        throw new MediaFailure(fileErrorReason(error));
      });
      if (!stat.isFile()) throw new MediaFailure('not a regular file');
      const frameTimes = this.spec.fps === null ? null : await this.frameTimesOf(pass, signal);
      const plans: { clip: ClipRef; frames: number[] }[] = [];
      for (const clip of pass.clips) {
        const problem = clipIntervalProblem(clip);
        if (problem) outcomes.set(clip, new ClipFailure(clip, `${videoPath}: ${problem}`));
        else plans.push({ clip, frames: clipFrameIndices(clip, this.spec, frameTimes) });
      }
      const frames = unionOfFrames(plans.map((plan) => plan.frames));
      if (frames.length === 0) return;
      await fsp.mkdir(dir, { recursive: true }).catch((error: unknown) => {
        throw cacheWriteError(dir, error);
      });
      await removeStaleTempFiles(dir);
      // ffmpeg failing to open its output would read as a video that cannot be decoded
      await claimTemp(rawFile);
      this.stats.decodePasses++;
      const result = await decodeFramesToFile(this.tools.ffmpeg, {
        file: videoPath,
        frames,
        size: this.spec.size,
        outFile: rawFile,
        scriptFile,
        signal,
      });
      if (result.damage) throw new MediaFailure(`file is truncated or corrupt: frames do not decode (${result.damage})`);
      const position = new Map(frames.map((frame, i) => [frame, i]));
      const frameBytes = this.spec.size * this.spec.size * 3;
      const raw = await fsp.open(rawFile, 'r').catch(() => null);
      try {
        for (const { clip, frames: clipFrames } of plans) {
          const missing = clipFrames.find((frame) => (position.get(frame) ?? Infinity) >= result.framesWritten);
          if (missing !== undefined || !raw) {
            const why = result.failure
              ? `ffmpeg could not decode it (${result.failure})`
              : `the video ends before frame ${missing ?? clipFrames[0] ?? 0} (shorter than the clip says, or truncated)`;
            outcomes.set(clip, new ClipFailure(clip, `${videoPath}: ${why}`));
            continue;
          }
          const bytes = Buffer.allocUnsafe(this.bytes);
          for (let k = 0; k < clipFrames.length; k++) {
            const at = position.get(clipFrames[k]!)! * frameBytes;
            await raw.read(bytes, k * frameBytes, frameBytes, at);
          }
          await this.writeClip(clip, bytes);
          this.stats.clipsWritten++;
          outcomes.set(clip, null);
        }
      } finally {
        await raw?.close();
      }
    } catch (error) {
      if (error instanceof MediaFailure) failAll(error.reason);
      else {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const clip of pass.clips) if (outcomes.get(clip) !== null) outcomes.set(clip, failure);
      }
    } finally {
      await fsp.rm(rawFile, { force: true }).catch(() => undefined);
      await fsp.rm(scriptFile, { force: true }).catch(() => undefined);
      for (const clip of pass.clips) {
        this.settle(clip, outcomes.get(clip) ?? (outcomes.has(clip) ? null : new Error('clip decode ended without an outcome')));
      }
    }
  }

  private async writeClip(clip: ClipRef, bytes: Uint8Array): Promise<void> {
    await writeCacheFileAtomically(this.clipPath(clip), bytes);
  }

  private frameTimesOf(pass: Pass, signal: AbortSignal): Promise<Float64Array> {
    const key = `${pass.videoHash}\0${pass.videoPath}`;
    let times = this.frameTimes.get(key);
    if (!times) {
      this.stats.frameTimeProbes++;
      times = probeFrameTimes(this.tools.ffprobe, pass.videoPath, signal);
      // A cancelled or failed probe must not be remembered: the next pass may succeed.
      times.catch(() => this.frameTimes.delete(key));
      this.frameTimes.set(key, times);
    }
    return times;
  }
}
