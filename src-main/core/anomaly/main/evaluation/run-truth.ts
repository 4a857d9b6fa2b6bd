import path from 'node:path';
import { ApiError } from '../../../../shared/errors.js';
import type { VideoRepository, VideoRow } from '../../../media/video-repository.js';
import { readTextFile } from '../../../labels/formats/label-file-io.js';
import { readFrameTruthFile, truthFromIntervalCsv, videoResolver, type TruthVideo } from './ground-truth.js';
import type { AnomalyMarkRepository } from '../marks/anomaly-mark-repository.js';
import { unmarkableReason, type TimingSource } from '../marks/mark-video.js';

/** One video's ground truth: per-frame 0/1 for its first `frames` frames. */
export interface VideoTruth {
  videoId: number;
  path: string;
  /** Truth for frames [0, frames); frames past the marks' or file's end are normal. */
  truthOf(frames: number): Uint8Array;
}

export const NO_TRUTH_MESSAGE =
  'There is no ground truth to evaluate against: mark events as anomaly or normal in the Anomaly view ' +
  '(a marked video counts, its unmarked frames as normal), import a truth file as marks, or give a truth csv.';

/**
 * Truth from marks: every video with at least one mark (of any kind) is annotated; its frames in
 * an anomaly mark are 1, all its other frames 0. Videos without marks are not evaluated.
 */
export function truthFromMarks(marks: AnomalyMarkRepository, videos: VideoRepository): VideoTruth[] {
  const byVideo = new Map<number, { start: number; end: number }[]>();
  for (const mark of marks.list()) {
    const intervals = byVideo.get(mark.video_id) ?? [];
    if (mark.kind === 'anomaly') intervals.push({ start: mark.start_frame, end: mark.end_frame });
    byVideo.set(mark.video_id, intervals);
  }
  if (byVideo.size === 0) throw new ApiError('CONFLICT', NO_TRUTH_MESSAGE);
  return [...byVideo].map(([videoId, intervals]) => ({
    videoId,
    path: videos.get(videoId)?.path ?? `video ${videoId}`,
    truthOf: (frames) => {
      const truth = new Uint8Array(frames);
      for (const { start, end } of intervals) truth.fill(1, Math.min(start, frames), Math.min(end, frames));
      return truth;
    },
  }));
}

/**
 * Truth from a csv `path,start,end` of anomalous intervals (seconds) for the whole project: every
 * video the run scored is evaluated (all normal unless a row marks it), and so is every video a row
 * names. A per-frame .npy / .txt describes the one video whose file name it shares (`01_0014.npy` for
 * `01_0014.avi`, as the public datasets name them); to keep it, import it as marks (anomaly:marks:import).
 */
export function truthFromFile(
  file: string,
  rows: readonly VideoRow[],
  scoredVideoIds: ReadonlySet<number>,
  timing: TimingSource,
): VideoTruth[] {
  const ext = path.extname(file).toLowerCase();
  const name = path.basename(file);
  if (ext === '.npy' || ext === '.txt') return [perFrameTruth(file, rows)];
  if (ext !== '.csv') {
    throw new ApiError('UNSUPPORTED', `${name}: a truth file is a csv of anomalous intervals (path,start,end in seconds).`);
  }
  const timed = rows.filter((row) => unmarkableReason(row) === null);
  const candidates: TruthVideo[] = timed.map((row) => ({ path: row.path, timing: timing(row) }));
  const byPath = new Map(timed.map((row) => [row.path, row]));
  const truth = truthFromIntervalCsv(readTextFile(file, 'ground-truth file'), {
    name,
    resolve: videoResolver(candidates, path.dirname(file)),
    videos: candidates.filter((v) => scoredVideoIds.has(byPath.get(v.path)!.id)),
  });
  return [...truth].map(([videoPath, frames]) => ({
    videoId: byPath.get(videoPath)!.id,
    path: videoPath,
    truthOf: (count) => {
      const out = new Uint8Array(count);
      out.set(frames.subarray(0, Math.min(count, frames.length)));
      return out;
    },
  }));
}

const stem = (file: string) => path.basename(file, path.extname(file));

/** A per-frame 0/1 file as the truth of the project video it is named after; its length must be the video's. */
function perFrameTruth(file: string, rows: readonly VideoRow[]): VideoTruth {
  const name = path.basename(file);
  const matches = rows.filter((row) => stem(row.path) === stem(file));
  if (matches.length !== 1) {
    throw new ApiError(
      matches.length === 0 ? 'NOT_FOUND' : 'CONFLICT',
      `${name} holds per-frame truth of one video, found by its name: ${
        matches.length === 0 ? `no video of the project is called ${stem(file)}.*` : `${matches.length} videos are called ${stem(file)}.*`
      }. Import it onto its video as marks (anomaly:marks:import with the video), then evaluate against the marks.`,
    );
  }
  const video = matches[0]!;
  const frames = readFrameTruthFile(file);
  return {
    videoId: video.id,
    path: video.path,
    truthOf: (count) => {
      if (frames.length !== count) {
        throw new ApiError('INVALID_PARAMS', `${name} has ${frames.length} frames of truth, but ${video.path} was scored over ${count} frames.`);
      }
      return frames;
    },
  };
}
