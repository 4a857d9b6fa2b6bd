/**
 * Cuts one clip [startFrame, endFrame) of a video to its own mp4, frame-exactly: frame numbers
 * are 0-based in presentation order, as the app's clips count them.
 *
 * Stream copy only when the clip starts on a keyframe, ends where the next keyframe (or the
 * video) starts, and its frames are one run of packets in decode order (no open GOP): then the
 * packets from that keyframe on are exactly the clip's frames. Where the copy lands differs between ffmpeg versions (4.1 moves a seek back by 0.13 s
 * when a stream has B-frames; 5.1 does not), so a copy is checked packet by packet against the
 * source and re-encoded when it is not exactly the clip. A re-encode seeks to halfway between the
 * frame before the clip and its first frame (packet timestamps from ffprobe), so rounding can never
 * pick a neighbour, and ffmpeg's accurate seek drops every frame before that point; its frame
 * count is checked after.
 */
import { MediaFailure } from '../../../media/media-failure.js';
import type { MediaTools } from '../../../media/media-tools.js';
import { lastErrorLine, runTool } from '../../../media/run-tool.js';

/** A video's frames as its packets say (frame = index in presentation order). */
export interface VideoPackets {
  /** Presentation time of each frame (seconds, ascending). */
  times: Float64Array;
  keyframes: ReadonlySet<number>;
  /** Packet sizes in decode order, and each frame's place in that order: what a copy must reproduce. */
  decodeSizes: readonly number[];
  decodeIndex: readonly number[];
}

/** Codecs an mp4 holds as they are; others (VP8/9 in WebM, MJPEG…) are always re-encoded. */
const COPYABLE_CODECS = new Set(['h264', 'hevc', 'mpeg4']);

const PROBE_TIMEOUT_MS = 10 * 60 * 1000;

/** Reads every video packet's timestamp and keyframe flag, without decoding. */
export async function probeVideoPackets(ffprobe: string, file: string, signal?: AbortSignal): Promise<VideoPackets> {
  const result = await runTool(
    ffprobe,
    ['-v', 'error', '-select_streams', 'V:0', '-show_entries', 'packet=pts_time,size,flags', '-of', 'csv=p=0', file],
    { timeoutMs: PROBE_TIMEOUT_MS, ...(signal ? { signal } : {}) },
  );
  if (result.code !== 0) throw new MediaFailure(lastErrorLine(result.stderr, file) || 'ffprobe could not read the file');
  const packets = result.stdout
    .split(/\r?\n/)
    .filter((line) => line.trim().length > 0)
    .map((line, decoded) => {
      const [time, size, flags] = line.split(',');
      return { time: Number.parseFloat(time ?? ''), size: Number.parseInt(size ?? '', 10), key: (flags ?? '').startsWith('K'), decoded };
    });
  if (packets.length === 0) throw new MediaFailure('no video packets');
  const decodeSizes = packets.map((p) => p.size);
  // Packets come in decode order; a packet without a time leaves no way to place the frames.
  if (packets.some((p) => !Number.isFinite(p.time))) {
    return { times: new Float64Array(0), keyframes: new Set(), decodeSizes, decodeIndex: [] };
  }
  packets.sort((a, b) => a.time - b.time);
  const keyframes = new Set<number>();
  packets.forEach((p, i) => p.key && keyframes.add(i));
  return { times: Float64Array.from(packets, (p) => p.time), keyframes, decodeSizes, decodeIndex: packets.map((p) => p.decoded) };
}

export type VideoEncoder = 'libx264' | 'mpeg4';

/** libx264 where this ffmpeg has it (Debian's, the bundled static build), else the built-in mpeg4. */
export async function chooseEncoder(ffmpeg: string): Promise<VideoEncoder> {
  const result = await runTool(ffmpeg, ['-hide_banner', '-encoders'], { timeoutMs: 30_000 });
  return /^\s*V\S*\s+libx264\s/m.test(result.stdout) ? 'libx264' : 'mpeg4';
}

const ENCODER_ARGS: Record<VideoEncoder, string[]> = {
  libx264: ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '17', '-pix_fmt', 'yuv420p'],
  mpeg4: ['-c:v', 'mpeg4', '-q:v', '2', '-pix_fmt', 'yuv420p'],
};

export interface CutRequest {
  source: string;
  codec: string | null;
  packets: VideoPackets;
  startFrame: number;
  endFrame: number;
  out: string;
  encoder: VideoEncoder;
  signal?: AbortSignal;
}

export type CutMode = 'copy' | 'reencode';

/** Whether the clip can be copied without decoding: whole GOPs of a codec mp4 takes. */
export function canStreamCopy(request: Pick<CutRequest, 'codec' | 'packets' | 'startFrame' | 'endFrame'>): boolean {
  const { codec, packets, startFrame, endFrame } = request;
  if (codec === null || !COPYABLE_CODECS.has(codec) || packets.times.length === 0) return false;
  const endsOnBoundary = endFrame === packets.times.length || packets.keyframes.has(endFrame);
  if (!packets.keyframes.has(startFrame) || !endsOnBoundary || endFrame > packets.times.length) return false;
  return decodedInOneRun(packets, startFrame, endFrame);
}

/**
 * Whether the clip's frames are one unbroken run of packets in decode order, starting at its
 * keyframe. An open GOP breaks this: frames shown before the keyframe are decoded after it.
 */
function decodedInOneRun(packets: VideoPackets, startFrame: number, endFrame: number): boolean {
  const first = packets.decodeIndex[startFrame];
  if (first === undefined) return false;
  for (let frame = startFrame; frame < endFrame; frame++) {
    const decoded = packets.decodeIndex[frame];
    if (decoded === undefined || decoded < first || decoded >= first + (endFrame - startFrame)) return false;
  }
  return true;
}

/** A re-encode's seek: halfway between the frame before the clip and its first; null from the start. */
function reencodeSeek(packets: VideoPackets, startFrame: number): number | null {
  if (startFrame === 0) return null;
  const before = packets.times[startFrame - 1];
  const first = packets.times[startFrame];
  return before === undefined || first === undefined ? null : (before + first) / 2;
}

/** ffmpeg 4.1 moves a seek back by 3/23 s in a stream with B-frames; a little more than that. */
const SEEK_BACK_MARGIN = 0.14;

/**
 * A copy's seek: a little after the clip's keyframe so the seek lands on it, not on the one before,
 * whichever ffmpeg; never past the next keyframe.
 */
function copySeek(packets: VideoPackets, startFrame: number): number | null {
  if (startFrame === 0) return null;
  const first = packets.times[startFrame] ?? 0;
  let next = startFrame + 1;
  while (next < packets.times.length && !packets.keyframes.has(next)) next++;
  const nextKey = packets.times[next] ?? first + 2 * SEEK_BACK_MARGIN;
  return first + Math.min(SEEK_BACK_MARGIN, (nextKey - first) / 2);
}

function cutArgs(request: CutRequest, mode: CutMode): string[] {
  const frames = request.endFrame - request.startFrame;
  const target = mode === 'copy' ? copySeek(request.packets, request.startFrame) : reencodeSeek(request.packets, request.startFrame);
  // Without packet times, decode from the start and keep the clip's frames by decode index.
  const byIndex = request.packets.times.length === 0 && request.startFrame > 0;
  // -seek_timestamp: the target is a stream time, not an offset from the file's start_time.
  const seek = target === null || byIndex ? [] : ['-seek_timestamp', '1', '-ss', target.toFixed(6)];
  const input = ['-hide_banner', '-nostdin', '-nostats', '-v', 'error', '-y', ...seek, '-i', request.source];
  const streams = ['-map', '0:V:0', '-an', '-sn', '-dn', '-frames:v', String(frames)];
  if (mode === 'copy') return [...input, ...streams, '-c', 'copy', '-avoid_negative_ts', 'make_zero', '-movflags', '+faststart', request.out];
  const select = byIndex ? `select='between(n,${request.startFrame},${request.endFrame - 1})',setpts=PTS-STARTPTS,` : '';
  return [
    ...input,
    ...streams,
    // passthrough: every frame exactly once, never duplicated or dropped for timing
    '-vsync', '0',
    '-vf', `${select}scale=trunc(iw/2)*2:trunc(ih/2)*2`,
    ...ENCODER_ARGS[request.encoder],
    '-movflags', '+faststart',
    request.out,
  ];
}

/** A file's video packet sizes in decode order (one per frame), or null when it cannot be read. */
export async function packetSizes(ffprobe: string, file: string, signal?: AbortSignal): Promise<number[] | null> {
  const result = await runTool(
    ffprobe,
    ['-v', 'error', '-select_streams', 'V:0', '-show_entries', 'packet=size', '-of', 'csv=p=0', file],
    { timeoutMs: PROBE_TIMEOUT_MS, ...(signal ? { signal } : {}) },
  );
  if (result.code !== 0) return null;
  return result.stdout
    .split(/\r?\n/)
    .filter((line) => line.trim().length > 0)
    .map((line) => Number.parseInt(line, 10));
}

/** Why the cut file is not the clip, or null when it is. */
function checkCut(request: CutRequest, mode: CutMode, sizes: readonly number[] | null): string | null {
  const frames = request.endFrame - request.startFrame;
  if (sizes === null || sizes.length !== frames) return `the cut file has ${sizes?.length ?? 'no readable'} frames instead of ${frames}`;
  if (mode === 'reencode') return null;
  const from = request.packets.decodeIndex[request.startFrame] ?? -1;
  const same = sizes.every((size, i) => request.packets.decodeSizes[from + i] === size);
  return same ? null : 'the copied packets are not those of the clip';
}

async function cutOnce(tools: MediaTools, request: CutRequest, mode: CutMode): Promise<string | null> {
  const frames = request.endFrame - request.startFrame;
  const opts = { timeoutMs: 120_000 + frames * 500, ...(request.signal ? { signal: request.signal } : {}) };
  const result = await runTool(tools.ffmpeg, cutArgs(request, mode), opts);
  if (result.crashSignal) return `ffmpeg crashed (${result.crashSignal})`;
  if (result.code !== 0) return lastErrorLine(result.stderr, request.source) || `ffmpeg exited with code ${String(result.code)}`;
  return checkCut(request, mode, await packetSizes(tools.ffprobe, request.out, request.signal));
}

/**
 * Cuts the clip and returns how; throws a MediaFailure saying why the clip could not be cut
 * (a copy that comes out wrong is re-encoded before giving up).
 */
export async function cutClip(tools: MediaTools, request: CutRequest): Promise<CutMode> {
  if (request.endFrame <= request.startFrame) throw new MediaFailure('the clip has no frames');
  if (canStreamCopy(request) && (await cutOnce(tools, request, 'copy')) === null) return 'copy';
  // A copy that came out wrong is replaced, never kept.
  const failure = await cutOnce(tools, request, 'reencode');
  if (failure !== null) throw new MediaFailure(failure);
  return 'reencode';
}
