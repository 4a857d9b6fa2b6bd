import { MediaFailure } from './media-failure.js';
import { runTool } from './run-tool.js';

const PROBE_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Every frame's presentation time in video time (seconds from the first frame), ascending, read
 * from the packet timestamps without decoding. Label clips of variable-frame-rate videos are cut
 * on these (labels/frame-times.ts), and clips sampled at a frame rate land on the same frames.
 */
export async function probeFrameTimes(ffprobe: string, file: string, signal?: AbortSignal): Promise<Float64Array> {
  const result = await runTool(
    ffprobe,
    ['-v', 'error', '-select_streams', 'V:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file],
    { timeoutMs: PROBE_TIMEOUT_MS, ...(signal ? { signal } : {}) },
  );
  const pts = result.stdout
    .split(/\r?\n/)
    .map((line) => Number.parseFloat(line.split(',')[0] ?? ''))
    .filter((value) => Number.isFinite(value));
  if (result.code !== 0 || pts.length === 0) {
    throw new MediaFailure('could not read the frame timestamps (no video packets with a time)');
  }
  // Packets come in decode order; presentation order is the sorted timestamps.
  pts.sort((a, b) => a - b);
  const first = pts[0] ?? 0;
  return Float64Array.from(pts, (t) => t - first);
}
