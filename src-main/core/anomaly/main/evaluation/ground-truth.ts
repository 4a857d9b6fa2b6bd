import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../../shared/errors.js';
import { durationOf, timeOfFrame, type VideoTiming } from '../../../../shared/frame-time.js';
import { headerColumns, parseNumber, readCsv, shorten } from '../../../labels/formats/csv-text.js';
import { fileErrorReason } from '../../../media/media-failure.js';
import { readNpyVector } from './npy-array.js';

/** A video that ground truth can refer to: its path and frame timing (fps + frame count, or probed frame times). */
export interface TruthVideo {
  path: string;
  timing: VideoTiming;
}

/** Per-frame ground truth of one video: 1 = anomalous, 0 = normal. */
export type FrameTruth = Uint8Array;

/** Finds the video a truth file's path names; null when none does. */
export type VideoResolver = (pathInFile: string) => TruthVideo | null;

const INTERVAL_COLUMNS = ['path', 'start', 'end'] as const;
/** Slack for float noise in interval edges that stand exactly on a frame's start time. */
const EPSILON = 1e-6;
/** More problems than this are summarised as a count. */
const MAX_LISTED_PROBLEMS = 5;

function problemsError(name: string, problems: readonly string[]): ApiError {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).join('; ');
  const more = problems.length > MAX_LISTED_PROBLEMS ? `; and ${problems.length - MAX_LISTED_PROBLEMS} more` : '';
  return new ApiError('INVALID_PARAMS', `${name} has ${problems.length === 1 ? 'a problem' : 'problems'}: ${listed}${more}.`);
}

/** The first frame whose start time is at or after `t` (frameCount when none is). */
function firstFrameFrom(timing: VideoTiming, t: number): number {
  let lo = 0;
  let hi = timing.frameCount;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (timeOfFrame(timing, mid) >= t - EPSILON) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function formatTime(seconds: number): string {
  return `${Number(seconds.toFixed(6))} s`;
}

/**
 * Matches a truth file's paths to videos: the exact path, the path taken relative to `baseDir`
 * (the truth file's folder), or else a file name that only one video has. A file name shared by
 * several videos is an error rather than a guess.
 */
export function videoResolver(videos: readonly TruthVideo[], baseDir: string): VideoResolver {
  const byPath = new Map(videos.map((v) => [path.resolve(v.path), v]));
  return (pathInFile) => {
    const exact = videos.find((v) => v.path === pathInFile) ?? byPath.get(path.resolve(baseDir, pathInFile));
    if (exact) return exact;
    const name = path.basename(pathInFile.replace(/\\/g, '/'));
    const sameName = videos.filter((v) => path.basename(v.path) === name);
    if (sameName.length > 1) {
      throw new ApiError(
        'INVALID_PARAMS',
        `The ground truth names “${shorten(pathInFile)}”, which could be any of ${sameName.map((v) => v.path).join(', ')}; ` +
          'write the path so that it names one video.',
      );
    }
    return sameName[0] ?? null;
  };
}

/**
 * Reads a csv of anomalous intervals (header `path,start,end`, seconds from the video's first
 * frame) into per-frame truth: a frame is anomalous when its start time is in [start, end).
 * Every video in `videos` gets an array (all normal unless a row marks it); a row whose path
 * names no video, or whose interval is malformed or marks no frame, is an error naming its line.
 */
export function truthFromIntervalCsv(
  text: string,
  options: {
    name: string;
    resolve: VideoResolver;
    videos?: readonly TruthVideo[];
    /** When given, a row whose path names no video is handed here instead of being an error. */
    onUnmatched?: (row: { line: number; path: string }) => void;
  },
): Map<string, FrameTruth> {
  const { name, resolve } = options;
  const { records, problems: csvProblems } = readCsv(text.replace(/^\uFEFF/, ''));
  const [header, ...rows] = records;
  const expected = INTERVAL_COLUMNS.join(',');
  const columns = header ? headerColumns(header.fields) : new Map<string, number>();
  const headerNames = header?.fields.map((f) => f.trim().toLowerCase()) ?? [];
  const headerOk =
    header !== undefined &&
    headerNames.length === INTERVAL_COLUMNS.length &&
    INTERVAL_COLUMNS.every((c) => columns.has(c)) &&
    !csvProblems.some((p) => p.line <= header.line);
  if (!headerOk) {
    const found = header ? ` (line ${header.line} is “${shorten(header.fields.join(','))}”)` : ' (the file is empty)';
    throw new ApiError('INVALID_PARAMS', `${name}: the first line must be the header ${expected}${found}.`);
  }
  const truth = new Map<string, FrameTruth>();
  const arrayFor = (video: TruthVideo): FrameTruth => {
    let frames = truth.get(video.path);
    if (!frames) {
      frames = new Uint8Array(video.timing.frameCount);
      truth.set(video.path, frames);
    }
    return frames;
  };
  for (const video of options.videos ?? []) arrayFor(video);

  const problems = csvProblems.map((p) => `line ${p.line}: ${p.reason}`);
  const at = (key: (typeof INTERVAL_COLUMNS)[number], fields: readonly string[]) => fields[columns.get(key)!];
  for (const row of rows) {
    const problem = (reason: string) => problems.push(`line ${row.line}: ${reason}`);
    if (row.fields.length !== INTERVAL_COLUMNS.length) {
      const hint = row.fields.length > INTERVAL_COLUMNS.length ? ' (quote paths that contain commas)' : '';
      problem(`expected 3 fields (${expected}), found ${row.fields.length}${hint}`);
      continue;
    }
    const pathInFile = (at('path', row.fields) ?? '').trim();
    const start = parseNumber(at('start', row.fields), 'start');
    const end = parseNumber(at('end', row.fields), 'end');
    if (pathInFile === '') problem('path is empty');
    else if (typeof start !== 'number') problem(start.reason);
    else if (typeof end !== 'number') problem(end.reason);
    else if (start < 0) problem(`start ${start} is negative`);
    else if (end <= start) problem(`end ${end} is not after start ${start}`);
    else {
      const video = resolve(pathInFile);
      if (!video) {
        if (options.onUnmatched) options.onUnmatched({ line: row.line, path: pathInFile });
        else problem(`no video matches the path “${shorten(pathInFile)}”`);
        continue;
      }
      const { timing } = video;
      const first = firstFrameFrom(timing, start);
      const stop = firstFrameFrom(timing, end);
      if (first >= timing.frameCount) {
        problem(
          `the interval starts at ${formatTime(start)}, after the end of ${shorten(pathInFile)}` +
            ` (${formatTime(durationOf(timing))}, ${timing.frameCount} frames)`,
        );
      } else if (stop <= first) {
        problem(`the interval [${formatTime(start)}, ${formatTime(end)}) holds no frame's start time`);
      } else {
        arrayFor(video).fill(1, first, stop);
      }
    }
  }
  if (problems.length > 0) throw problemsError(name, problems);
  return truth;
}

function checkFrameCount(values: ArrayLike<number>, name: string, frameCount: number | undefined): void {
  if (frameCount !== undefined && values.length !== frameCount) {
    throw new ApiError(
      'INVALID_PARAMS',
      `${name} has ${values.length} frame values but the video has ${frameCount} frames.`,
    );
  }
}

/** Per-frame truth from a 1-D `.npy` array whose values are all 0 or 1 (bool, integer or float). */
export function truthFromNpy(bytes: Uint8Array, name: string, frameCount?: number): FrameTruth {
  const { values } = readNpyVector(bytes, name);
  const truth = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value !== 0 && value !== 1) {
      throw new ApiError('INVALID_PARAMS', `${name}: frame ${i} has the value ${value}; ground truth must be 0 or 1.`);
    }
    truth[i] = value;
  }
  checkFrameCount(truth, name, frameCount);
  return truth;
}

/**
 * Per-frame truth from text: values 0 or 1 separated by whitespace, commas or line breaks
 * (one trailing comma on a line is allowed; an empty value between two commas is not).
 */
export function truthFromText(text: string, name: string, frameCount?: number): FrameTruth {
  const values: number[] = [];
  const problems: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const parts = line.split(',');
    let item = 0;
    parts.forEach((part, p) => {
      const tokens = part.trim() === '' ? [] : part.trim().split(/\s+/);
      if (tokens.length === 0 && parts.length > 1 && p < parts.length - 1) {
        problems.push(`line ${index + 1}: an empty value before comma ${p + 1}`);
      }
      for (const token of tokens) {
        item++;
        const value = Number(token);
        if (value === 0 || value === 1) values.push(value);
        else problems.push(`line ${index + 1}, value ${item}: “${shorten(token, 20)}” is not 0 or 1`);
      }
    });
  });
  if (problems.length > 0) throw problemsError(name, problems);
  checkFrameCount(values, name, frameCount);
  return Uint8Array.from(values);
}

function readBytes(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const reason = fileErrorReason(error);
    throw new ApiError(reason === 'file not found' ? 'NOT_FOUND' : 'IO_ERROR', `Cannot read ${file}: ${reason}.`);
  }
}

/** Reads a per-frame truth file (`.npy` or `.txt`); `frameCount` checks it against its video. */
export function readFrameTruthFile(file: string, frameCount?: number): FrameTruth {
  const ext = path.extname(file).toLowerCase();
  const name = path.basename(file);
  if (ext === '.npy') return truthFromNpy(readBytes(file), name, frameCount);
  if (ext === '.txt') return truthFromText(readBytes(file).toString('utf8'), name, frameCount);
  throw new ApiError(
    'UNSUPPORTED',
    `${name}: per-frame ground truth must be a .npy or .txt file (intervals in seconds go in a .csv).`,
  );
}

/** Reads an interval csv, matching its paths to `videos` (relative paths from the csv's folder). */
export function readIntervalTruthFile(file: string, videos: readonly TruthVideo[]): Map<string, FrameTruth> {
  const text = readBytes(file).toString('utf8');
  return truthFromIntervalCsv(text, {
    name: path.basename(file),
    resolve: videoResolver(videos, path.dirname(file)),
    videos,
  });
}
