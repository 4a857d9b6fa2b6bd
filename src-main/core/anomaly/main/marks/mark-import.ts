import path from 'node:path';
import type { AnomalyMarkImportReport } from '../../../../shared/anomaly.js';
import { ApiError } from '../../../../shared/errors.js';
import type { VideoRow } from '../../../media/video-repository.js';
import { readTextFile } from '../../../labels/formats/label-file-io.js';
import { shorten } from '../../../labels/formats/csv-text.js';
import {
  readFrameTruthFile,
  truthFromIntervalCsv,
  videoResolver,
  type TruthVideo,
  type VideoResolver,
} from '../evaluation/ground-truth.js';
import type { AnomalyMarkService, NewMark } from './anomaly-mark-service.js';
import { runsOfOnes } from './frame-intervals.js';
import { unmarkableReason, videoName, type TimingSource } from './mark-video.js';

export interface MarkImportRequest {
  file: string;
  /** The video a per-frame `.npy` / `.txt` file describes (a csv names its videos itself). */
  videoId?: number;
}

const PER_FRAME = new Set(['.npy', '.txt']);

/**
 * Imports ground truth as anomaly marks (source 'import'), one journal entry: a csv
 * `path,start,end` of anomalous intervals in seconds, whose rows match videos by path (exact, or
 * relative to the csv's folder) or else by a file name only one video has; rows that match no
 * video are skipped with the reason. Or a per-frame 0/1 `.npy` / `.txt` for one video, whose runs
 * of 1s become marks. Marks merge with the anomaly marks already there (importing twice changes nothing).
 */
export function importMarks(
  service: AnomalyMarkService,
  videos: readonly VideoRow[],
  timing: TimingSource,
  request: MarkImportRequest,
): AnomalyMarkImportReport {
  const ext = path.extname(request.file).toLowerCase();
  const name = path.basename(request.file);
  if (ext === '.csv') {
    if (request.videoId !== undefined) {
      throw new ApiError(
        'INVALID_PARAMS',
        `${name} is a csv, which names its videos in its path column: import it without choosing a video.`,
      );
    }
    return importIntervalCsv(service, videos, timing, request.file);
  }
  if (PER_FRAME.has(ext)) {
    if (request.videoId === undefined) {
      throw new ApiError(
        'INVALID_PARAMS',
        `${name} holds per-frame truth of one video: choose the video it belongs to.`,
      );
    }
    return importFrameTruth(service, request.file, request.videoId);
  }
  throw new ApiError(
    'UNSUPPORTED',
    `${name}: ground truth is a csv of anomalous intervals (path,start,end in seconds) or a per-frame 0/1 .npy or .txt file.`,
  );
}

function importFrameTruth(service: AnomalyMarkService, file: string, videoId: number): AnomalyMarkImportReport {
  const video = service.video(videoId);
  const name = path.basename(file);
  const truth = readFrameTruthFile(file, video.timing.frameCount);
  const marks: NewMark[] = runsOfOnes(truth).map((run) => ({
    videoId,
    startFrame: run.start,
    endFrame: run.end,
    kind: 'anomaly',
  }));
  if (marks.length === 0) {
    return {
      marks: 0,
      videos: 0,
      skipped: [
        {
          row: name,
          reason:
            `it marks no frame of ${videoName(video.row)} anomalous, so nothing was imported; ` +
            'a video without marks is not evaluated: mark it normal to count it as all normal',
        },
      ],
    };
  }
  service.addMany(marks, 'import', `Import ground truth from ${name} onto ${videoName(video.row)}`);
  return { marks: marks.length, videos: 1, skipped: [] };
}

function importIntervalCsv(
  service: AnomalyMarkService,
  rows: readonly VideoRow[],
  timing: TimingSource,
  file: string,
): AnomalyMarkImportReport {
  const name = path.basename(file);
  const text = readTextFile(file, 'ground-truth file');
  const { resolve, reasons, rowOf } = projectResolver(rows, timing, path.dirname(file));
  const skipped: AnomalyMarkImportReport['skipped'] = [];
  const truth = truthFromIntervalCsv(text, {
    name,
    resolve,
    onUnmatched: ({ line, path: pathInFile }) =>
      skipped.push({
        row: `line ${line}: ${shorten(pathInFile)}`,
        reason: reasons.get(pathInFile) ?? 'no video of the project has this path or file name',
      }),
  });
  const marks: NewMark[] = [];
  for (const [videoPath, frames] of truth) {
    const row = rowOf.get(videoPath)!;
    for (const run of runsOfOnes(frames)) {
      marks.push({ videoId: row.id, startFrame: run.start, endFrame: run.end, kind: 'anomaly' });
    }
  }
  const videoCount = new Set(marks.map((m) => m.videoId)).size;
  if (marks.length > 0) {
    const what = `${marks.length} interval${marks.length === 1 ? '' : 's'} on ${videoCount} video${videoCount === 1 ? '' : 's'}`;
    service.addMany(marks, 'import', `Import ground truth from ${name} (${what})`);
  }
  return { marks: marks.length, videos: videoCount, skipped };
}

/**
 * Resolves csv paths against every project video; a path that names a video whose frames cannot be
 * marked, or several videos by file name, is unmatched with its reason rather than an error.
 */
function projectResolver(
  rows: readonly VideoRow[],
  timing: TimingSource,
  baseDir: string,
): { resolve: VideoResolver; reasons: Map<string, string>; rowOf: Map<string, VideoRow> } {
  const rowOf = new Map(rows.map((row) => [row.path, row]));
  const unusable = new Map<string, string>();
  const candidates: TruthVideo[] = rows.map((row) => {
    const reason = unmarkableReason(row);
    if (reason) {
      unusable.set(row.path, `${videoName(row)}: ${reason}`);
      return { path: row.path, timing: { fps: 1, frameCount: 0, startTime: 0 } };
    }
    return { path: row.path, timing: timing(row) };
  });
  const inner = videoResolver(candidates, baseDir);
  const reasons = new Map<string, string>();
  const resolve: VideoResolver = (pathInFile) => {
    let found: TruthVideo | null;
    try {
      found = inner(pathInFile);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      reasons.set(pathInFile, error.message);
      return null;
    }
    const reason = found ? unusable.get(found.path) : undefined;
    if (reason) {
      reasons.set(pathInFile, reason);
      return null;
    }
    return found;
  };
  return { resolve, reasons, rowOf };
}
