/** Data shapes that cross the API boundary. Plain JSON: no Dates, no class instances. */

import type { DatasetExportSummary } from './dataset-export.js';

export type AppMode = 'electron' | 'web' | 'cli';

export interface AppInfo {
  name: string;
  version: string;
  mode: AppMode;
  platform: string;
  project: ProjectInfo | null;
  capabilities: {
    /** The host can show native open-file/folder dialogs (desktop only). */
    nativeDialogs: boolean;
  };
  tools: {
    ffmpeg: string;
    ffprobe: string;
  };
}

/** The licence texts and notices of what the app ships (resources/LICENSES). */
export interface LicenceNotices {
  /** Where they are on disk. */
  folder: string;
  notices: { file: string; title: string; text: string }[];
}

export interface ProjectInfo {
  path: string;
  name: string;
  createdAt: string;
  schemaVersion: number;
  videoCount: number;
}

export interface RecentProject {
  path: string;
  name: string;
  openedAt: string;
  exists: boolean;
}

/**
 * ready: probed and playable (directly or through its proxy);
 * processing: probed, a browser-playable proxy is being made;
 * failed: could not be imported, `error` says why;
 * missing: the file is no longer at `path` (relink it).
 */
export type VideoStatus = 'ready' | 'processing' | 'failed' | 'missing';

export type ProxyState = 'none' | 'pending' | 'ready' | 'failed';

/** What removing videos takes with it, for the confirm dialog (videos:remove:preview). */
export interface VideoRemovalPreview {
  videos: number;
  clips: number;
  /** Labelled clips per class, most first; these come back with Undo. */
  labels: { classId: number; name: string; count: number }[];
  /** Predictions of every run on their clips: gone for good (predict again to get them back). */
  predictions: number;
  anomalyMarks: number;
}

export interface VideoDto {
  id: number;
  path: string;
  name: string;
  /** Content hash used for dedupe and relinking; null when the file could not be read. */
  hash: string | null;
  size: number | null;
  status: VideoStatus;
  error: string | null;
  durationSec: number | null;
  /** Number of frames in the stream (counted or reported by the container). */
  frameCount: number | null;
  /** Average frame rate as a rational string, e.g. "30000/1001". */
  avgFrameRate: string | null;
  /** The stream's base ("real") frame rate as a rational string. */
  realFrameRate: string | null;
  fps: number | null;
  /** True when the average and real frame rates disagree: likely variable frame rate. */
  variableFrameRate: boolean;
  /** Presentation time of the first frame, in seconds (often not 0). */
  startTime: number | null;
  width: number | null;
  height: number | null;
  codec: string | null;
  pixelFormat: string | null;
  container: string | null;
  rotation: number;
  hasAudio: boolean;
  /** The original file plays in the app's player without a proxy. */
  playable: boolean;
  proxy: ProxyState;
  posterReady: boolean;
  importedAt: string;
}

export type JobKind = 'import' | 'proxy' | 'train' | 'export';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export interface ImportFailure {
  path: string;
  reason: string;
}

export interface ImportSummary {
  kind: 'import';
  scanned: number;
  imported: number;
  duplicates: number;
  relinked: number;
  failed: ImportFailure[];
}

export interface ProxySummary {
  kind: 'proxy';
  made: number;
  failed: ImportFailure[];
}

/** What a training or prediction job did. */
export interface RunJobSummary {
  kind: 'run';
  runId: number;
  epochs: number;
  predictions: number;
}

/** An anomaly run's training or scoring job. */
export interface AnomalyJobSummary {
  kind: 'anomaly';
  runId: number;
  epochs: number;
  videosScored: number;
}

export type JobResult = ImportSummary | ProxySummary | RunJobSummary | AnomalyJobSummary | DatasetExportSummary;

export interface JobDto {
  id: number;
  kind: JobKind;
  title: string;
  state: JobState;
  /** 0..1, or null when the amount of work is not known yet. */
  progress: number | null;
  /** Seconds left, estimated from the last minute's progress; null while unknown (or in a process that is not running it). */
  etaSeconds: number | null;
  message: string;
  error: string | null;
  result: JobResult | null;
  cancellable: boolean;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface FsEntry {
  name: string;
  path: string;
  kind: 'dir' | 'file';
  size: number | null;
  isVideo: boolean;
}

export interface FsListing {
  path: string;
  parent: string | null;
  entries: FsEntry[];
}

// ── Labelling ────────────────────────────────────────────────────────────────

export interface ClassDto {
  id: number;
  name: string;
  /** CSS colour, "#rrggbb". */
  color: string;
  /** The key that labels a clip with this class: 1–9, then letters. */
  hotkey: string | null;
  position: number;
  archived: boolean;
  /** How many clips carry this class. */
  labelCount: number;
}

export type LabelSource = 'human' | 'review' | 'import';

/** Frames [startFrame, endFrame) of one video (0-based, end exclusive), and the same in seconds. */
export interface ClipDto {
  id: number;
  videoId: number;
  startFrame: number;
  endFrame: number;
  /** Seconds from the video's first frame (not the stream's presentation time). */
  startSec: number;
  endSec: number;
  /** auto: cut by the project's segmentation; user: drawn, split or imported. */
  origin: 'auto' | 'user';
  classId: number | null;
  labelSource: LabelSource | null;
}

/** What the player needs to map its time to frames exactly (see shared/frame-time.ts). */
export interface VideoTimingDto {
  videoId: number;
  fps: number;
  frameCount: number;
  startTime: number;
  /** Per-frame times (seconds from the first frame) when the frame rate varies; else null. */
  frameTimes: number[] | null;
}

export interface ClipPage {
  total: number;
  items: ClipDto[];
}

export interface Segmentation {
  windowSec: number;
  strideSec: number;
}

export interface LabelStats {
  totalClips: number;
  labelledClips: number;
  perClass: { classId: number; clips: number }[];
  perVideo: { videoId: number; clips: number; labelled: number }[];
}

export interface HistoryEntryDto {
  id: number;
  action: string;
  description: string;
  author: string;
  createdAt: string;
  undone: boolean;
  changes: number;
  /** How many clips the change touched (labelled, cut, removed, reviewed). */
  clips: number;
}

export interface HistoryState {
  /** What the last undo/redo did; null when there was nothing to do. */
  entry: HistoryEntryDto | null;
  canUndo: number;
  canRedo: number;
}

// ── Label import and export ─────────────────────────────────────────────────

/** Label file formats: ours (csv), Kinetics CSV, MMAction2 video list, ActivityNet JSON, Label Studio JSON tasks. */
export type LabelFormat = 'csv' | 'kinetics' | 'mmaction' | 'activitynet' | 'labelstudio';

/** A row of a label file that could not be used, and why. */
export interface LabelImportSkip {
  /** 1-based line of the file; null in JSON formats, where `where` names the row. */
  line: number | null;
  /** "line 12", or a path in the document such as `task 3 (id 17), annotation 1, result 2`. */
  where: string;
  reason: string;
}

export interface LabelImportReport {
  file: string;
  format: LabelFormat;
  /** True when nothing was written: the report says what an import would do. */
  dryRun: boolean;
  /** Rows used (each labels a clip, creates a segment, or finds its clip already so). */
  applied: number;
  /** User segments created for rows that matched no existing clip. */
  createdClips: number;
  /** Clips given a (new or different) label, new segments included. */
  labelledClips: number;
  /** Names of the classes created for labels the project did not have. */
  createdClasses: string[];
  skipped: LabelImportSkip[];
  notes: string[];
}

export interface LabelExportReport {
  file: string;
  format: LabelFormat;
  /** Every file written: the label file, and for MMAction its classes file. */
  files: string[];
  /** Rows (lines, annotations, ranges) written to the label file. */
  rows: number;
  notes: string[];
}
