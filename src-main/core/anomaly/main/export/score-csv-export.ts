import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { Database } from 'better-sqlite3';
import { boxAt, type RegionBoxes } from '../../../../shared/anomaly-boxes.js';
import { ApiError } from '../../../../shared/errors.js';
import { timeOfFrame, type VideoTiming } from '../../../../shared/frame-time.js';
import { VideoRepository, type VideoRow } from '../../../media/video-repository.js';
import { csvField, formatSeconds } from '../../../labels/formats/csv-text.js';
import { requireAnomalyRun } from '../evaluation/anomaly-eval.js';
import { unmarkableReason, type TimingSource } from '../marks/mark-video.js';
import { AnomalyScoreRepository } from '../store/anomaly-score-repository.js';

const SCORE_CSV_HEADER = 'path,frame,time,score,x,y,w,h';

/** Lines per write: big enough to be quick, small enough that a 100,000-frame video never sits in one string. */
const LINES_PER_CHUNK = 4096;

/** A score as float32 carries it (7 significant digits), without trailing zeros. */
function formatScore(value: number): string {
  return String(Number(value.toPrecision(7)));
}

/** The video's timing, or one from the fps the scoring decoded at when the probe knew none. */
function exportTiming(row: VideoRow, fps: number | null, frameCount: number, timing: TimingSource): VideoTiming | null {
  if (unmarkableReason(row) === null) return timing(row);
  return fps ? { fps, frameCount, startTime: 0 } : null;
}

async function writeChunk(out: fs.WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** A frame's box fields `x,y,w,h`, empty where no region scored the frame (or the curve predates boxes). */
function boxFields(boxes: RegionBoxes | null, frame: number): string {
  const box = boxes === null ? null : boxAt(boxes.frames, frame);
  return box === null ? ',,,' : `${box.x},${box.y},${box.w},${box.h}`;
}

/**
 * Writes a run's per-frame smoothed scores as csv `path,frame,time,score,x,y,w,h` (frame 0-based, time in
 * seconds of the frame's start, x,y,w,h the box of the region that made the frame's score in the video's
 * own pixels), video after video, streaming to a temporary file renamed over `file` at the end so a failed
 * export never leaves half a file.
 */
export async function exportScoresCsv(
  db: Database,
  runId: number,
  file: string,
  timing: TimingSource,
): Promise<{ file: string; rows: number }> {
  requireAnomalyRun(db, runId);
  const scores = new AnomalyScoreRepository(db);
  const videos = new VideoRepository(db);
  const summaries = scores.list(runId);
  if (summaries.length === 0) {
    throw new ApiError('CONFLICT', `Anomaly run ${runId} has scored no video yet: score videos first, then export.`);
  }
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  let rows = 0;
  let out: fs.WriteStream | null = null;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const stream = fs.createWriteStream(tmp);
    out = stream;
    const failed = new Promise<never>((_, reject) => stream.once('error', reject));
    failed.catch(() => undefined);
    const work = (async () => {
      await writeChunk(stream, `${SCORE_CSV_HEADER}\n`);
      for (const summary of summaries) {
        const stored = scores.get(runId, summary.videoId);
        const row = videos.get(summary.videoId);
        if (!stored || !row) continue;
        const videoTiming = exportTiming(row, stored.fps, stored.frameCount, timing);
        const pathField = csvField(row.path);
        let lines: string[] = [];
        for (let frame = 0; frame < stored.frameCount; frame++) {
          const time = videoTiming ? formatSeconds(timeOfFrame(videoTiming, frame)) : '';
          lines.push(`${pathField},${frame},${time},${formatScore(stored.scores[frame]!)},${boxFields(stored.boxes, frame)}`);
          if (lines.length === LINES_PER_CHUNK) {
            await writeChunk(stream, `${lines.join('\n')}\n`);
            lines = [];
          }
        }
        if (lines.length > 0) await writeChunk(stream, `${lines.join('\n')}\n`);
        rows += stored.frameCount;
      }
      stream.end();
      await once(stream, 'finish');
    })();
    await Promise.race([work, failed]);
    fs.renameSync(tmp, file);
  } catch (err) {
    out?.destroy();
    fs.rmSync(tmp, { force: true });
    if (err instanceof ApiError) throw err;
    const code = (err as { code?: string }).code;
    const why = code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : err instanceof Error ? err.message : String(err);
    throw new ApiError('IO_ERROR', `Cannot write ${file}: ${why}.`);
  }
  return { file, rows };
}
