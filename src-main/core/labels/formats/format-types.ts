import type { LabelFormat } from '../../../shared/dto.js';
import type { VideoTiming } from '../../../shared/frame-time.js';
import type { VideoRow } from '../../media/video-repository.js';
import type { VideoIndex } from './video-index.js';

/** Where a row came from: a line of a text file, or a path inside a JSON document. */
export interface RowPlace {
  /** 1-based line in the file; null for JSON formats, whose rows are named by `where`. */
  line: number | null;
  where: string;
  /** Document order, for listing problems found by different passes in the order of the file. */
  seq: number;
}

/**
 * The interval a row labels, in video time (seconds from the video's first frame), or the
 * whole video. `clampToVideo` lets a row that is meant to cover its (trimmed) file end where
 * the file ends instead of being refused as out of range.
 */
export type RowSpan = { kind: 'seconds'; start: number; end: number; clampToVideo?: boolean } | { kind: 'whole' };

/** One usable row: which video, which interval, which class (null: the clip exists but is unlabelled). */
export interface LabelRow {
  place: RowPlace;
  videoId: number;
  span: RowSpan;
  label: string | null;
  /** Classes the row rules out for the clip ("not class c"), by name; only our CSV carries them. */
  ruledOut?: string[];
  /** Read as predictions: the confidence the file gives, as written (null: it gives none). */
  score?: number | null;
}

export interface RowProblem {
  place: RowPlace;
  reason: string;
}

/** What a parser makes of a file: usable rows, rows it could not use and why, and general notes. */
export interface ParsedLabels {
  rows: LabelRow[];
  skipped: RowProblem[];
  notes: string[];
}

export interface ParseContext {
  videos: VideoIndex;
  /** The folder of the file being read: relative paths in it are relative to this folder. */
  baseDir: string;
  /** Frame rate of frame-based formats when the file does not carry its own (Label Studio: 24). */
  fps?: number;
  /** Class names by index, for formats that label by index (MMAction). */
  classNames?: readonly string[];
  /**
   * 'predictions': read the file's predictions instead of its labels (csv with a confidence column,
   * ActivityNet `results`, Label Studio `predictions`); each row then carries its `score`.
   */
  read?: 'labels' | 'predictions';
}

/** A clip as an export sees it: frames [startFrame, endFrame), 0-based, and the same in seconds. */
export interface ExportClip {
  startFrame: number;
  endFrame: number;
  startSec: number;
  endSec: number;
  className: string | null;
  /** Classes ruled out for the clip (negative labels), in the project's class order. */
  ruledOut: string[];
}

export interface ExportVideo {
  row: VideoRow;
  timing: VideoTiming;
  /** Every user segment and every labelled clip, by start frame; unlabelled automatic clips are derived data and left out. */
  clips: ExportClip[];
}

export interface ExportData {
  /** The file being written: paths inside it are written relative to its folder when they can be. */
  file: string;
  videos: ExportVideo[];
  /** Every class name, in the project's order (MMAction indices follow it). */
  classNames: readonly string[];
  /** Frame rate for frame-based formats; by default each video's own. */
  fps?: number;
  /** Where the MMAction classes file goes. */
  classesFile?: string;
}

export interface WrittenFile {
  path: string;
  text: string;
}

export interface WrittenLabels {
  files: WrittenFile[];
  /** Rows (lines, annotations, ranges) written to the main file. */
  rows: number;
  notes: string[];
}

export interface LabelFormatModule {
  format: LabelFormat;
  /** Never throws for bad rows; throws ApiError only for a file that is not this format at all. */
  parse(text: string, ctx: ParseContext): ParsedLabels;
  write(data: ExportData): WrittenLabels;
}

export function linePlace(line: number): RowPlace {
  return { line, where: `line ${line}`, seq: line };
}

let jsonSeq = 0;

/** A place in a JSON document; call in document order. */
export function jsonPlace(where: string): RowPlace {
  return { line: null, where, seq: ++jsonSeq };
}

/** The order a person reads the file in. */
export function inFileOrder(a: RowProblem, b: RowProblem): number {
  return a.place.seq - b.place.seq;
}
