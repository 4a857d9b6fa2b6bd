import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../shared/errors.js';
import type { VideoTiming } from '../../shared/frame-time.js';
import type { MediaTools } from '../media/media-tools.js';
import { probeFrameTimes } from '../media/clip-frame-times.js';
import { MediaFailure } from '../media/media-failure.js';
import type { VideoRow } from '../media/video-repository.js';
import type { Project } from '../project/project.js';
import { timingOfVideo } from './video-timing.js';

const FRAME_TIMES_DIR = 'frame-times';

/** A frame rate that varies: the container's average disagrees with the stream's base rate. */
export function hasVariableFrameRate(row: VideoRow): boolean {
  return row.avg_frame_rate !== null && row.real_frame_rate !== null && row.avg_frame_rate !== row.real_frame_rate;
}

/**
 * Per-frame timestamps of variable-frame-rate videos, probed once with ffprobe and cached, so
 * that clips of such videos land on the frames the player shows instead of on i / fps.
 */
export class VideoTimings {
  constructor(
    private readonly project: Project,
    private readonly tools: MediaTools,
  ) {}

  /** The timing clip maths uses; call `prepare` first for variable-frame-rate videos. */
  timing(row: VideoRow): VideoTiming {
    const timing = timingOfVideo(row);
    if (!hasVariableFrameRate(row)) return timing;
    const frameTimes = this.readCache(row);
    return frameTimes && frameTimes.length > 0 ? { ...timing, frameTimes, frameCount: frameTimes.length } : timing;
  }

  /** Probes the frame timestamps of every variable-frame-rate video that has none cached yet. */
  async prepare(rows: readonly VideoRow[], signal?: AbortSignal): Promise<void> {
    for (const row of rows) {
      if (!hasVariableFrameRate(row) || row.status === 'failed' || row.status === 'missing') continue;
      if (fs.existsSync(this.cacheFile(row))) continue;
      const times = await this.probe(row, signal);
      const file = this.cacheFile(row);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, Buffer.from(times.buffer, times.byteOffset, times.byteLength));
      fs.renameSync(temp, file);
    }
  }

  private async probe(row: VideoRow, signal?: AbortSignal): Promise<Float64Array> {
    try {
      return await probeFrameTimes(this.tools.ffprobe, row.path, signal);
    } catch (error) {
      if (error instanceof MediaFailure) {
        throw new ApiError('MEDIA_ERROR', `Could not read the frame timestamps of ${row.name}.`);
      }
      throw error;
    }
  }

  private cacheFile(row: VideoRow): string {
    const key = (row.hash ?? `video-${row.id}`).replace(/[^a-zA-Z0-9_-]/g, '_').slice(-64);
    return this.project.cachePath(FRAME_TIMES_DIR, `${key}.f64`);
  }

  private readCache(row: VideoRow): Float64Array | null {
    try {
      const bytes = fs.readFileSync(this.cacheFile(row));
      return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    } catch {
      return null;
    }
  }
}
