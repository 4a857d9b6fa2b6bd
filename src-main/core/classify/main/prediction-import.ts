/**
 * Predictions made elsewhere, brought in as a run of origin `imported` whose pseudo-labels go
 * through review like a trained run's. The file is read by the label formats' own parsers in
 * their predictions mode; each usable entry (known video, known class, segment inside the video,
 * confidence in 0..1) is mapped onto the clips it covers (see segment-cover.ts). Nothing is
 * labelled: labels only come from review decisions, which never change a person's label.
 */
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { LabelImportSkip } from '../../../shared/dto.js';
import { ApiError } from '../../../shared/errors.js';
import type { VideoTiming } from '../../../shared/frame-time.js';
import type { PredictionImportFormat, PredictionImportReport, RunClass, RunDto } from '../../../shared/run-dto.js';
import type { VideoRepository, VideoRow } from '../../media/video-repository.js';
import type { ClassService } from '../../labels/class-service.js';
import { inFileOrder, type LabelRow, type RowProblem } from '../../labels/formats/format-types.js';
import { readTextFile } from '../../labels/formats/label-file-io.js';
import { LABEL_FORMAT_MODULES } from '../../labels/formats/label-formats.js';
import { VideoIndex } from '../../labels/formats/video-index.js';
import { spanFrames, type FrameSpan } from '../../labels/label-import-plan.js';
import type { ImportedPrediction, PredictionRepository } from './prediction-repository.js';
import type { RunRepository } from './run-repository.js';
import { segmentCover } from './segment-cover.js';

export interface PredictionImportOptions {
  file: string;
  format: PredictionImportFormat;
  /** Create the classes the file names and the project lacks (otherwise their entries are skipped). */
  createClasses: boolean;
  name?: string;
  /** Label Studio: frame rate of tasks that carry none. */
  fps?: number;
}

export interface PredictionImportDeps {
  db: Database;
  videos: VideoRepository;
  classes: ClassService;
  runs: RunRepository;
  predictions: PredictionRepository;
  timingOf: (row: VideoRow) => VideoTiming;
  ensureSegmented: () => void;
}

/** An entry that passed every check but the mapping onto clips. */
interface Usable {
  row: LabelRow;
  frames: FrameSpan;
  classKey: string;
  className: string;
  confidence: number;
}

/**
 * Probabilities for a file that gives one class and its confidence: that confidence for the
 * class, the rest shared evenly by the others (what is known, and no more).
 */
export function importedProbs(classCount: number, classIndex: number, confidence: number): number[] {
  const rest = classCount > 1 ? (1 - confidence) / (classCount - 1) : 0;
  return Array.from({ length: classCount }, (_, i) => (i === classIndex ? confidence : rest));
}

function confidenceProblem(score: number | null | undefined): string | null {
  if (score === null || score === undefined) return 'no confidence: a prediction needs a score in 0..1 to be ranked in review';
  if (!Number.isFinite(score)) return 'confidence is not a number';
  if (score < 0 || score > 1) return `confidence ${score} is not in 0..1`;
  return null;
}

export function importPredictions(deps: PredictionImportDeps, options: PredictionImportOptions): { report: PredictionImportReport; run: RunDto | null } {
  if (!path.isAbsolute(options.file)) {
    throw new ApiError('INVALID_PARAMS', `The prediction file must be an absolute path, not ${options.file}.`);
  }
  const text = readTextFile(options.file, 'prediction file');
  const videos = new VideoIndex(deps.videos.list());
  const parsed = LABEL_FORMAT_MODULES[options.format].parse(text, {
    videos,
    baseDir: path.dirname(options.file),
    read: 'predictions',
    ...(options.fps !== undefined ? { fps: options.fps } : {}),
  });
  deps.ensureSegmented();

  const skipped: RowProblem[] = [...parsed.skipped];
  const skip = (row: LabelRow, reason: string) => skipped.push({ place: row.place, reason });
  const known = new Map(deps.classes.list(true).map((c) => [c.name.toLowerCase(), c.name]));
  const unknown = new Map<string, string>();
  const videoRows = new Map(videos.rows.map((v) => [v.id, v]));
  const timings = new Map<number, VideoTiming | string>();
  const usable: Usable[] = [];

  for (const row of parsed.rows) {
    const label = row.label?.trim() ?? '';
    if (label === '') {
      skip(row, 'no label: a prediction names a class');
      continue;
    }
    const badConfidence = confidenceProblem(row.score);
    if (badConfidence) {
      skip(row, badConfidence);
      continue;
    }
    const key = label.toLowerCase();
    if (!known.has(key)) {
      if (!unknown.has(key)) unknown.set(key, label);
      if (!options.createClasses) {
        skip(row, `unknown class “${label}”: the project has no class of that name (create it, or import with create classes)`);
        continue;
      }
    }
    const video = videoRows.get(row.videoId);
    if (!video) {
      skip(row, `unknown video ${row.videoId}`);
      continue;
    }
    const timing = timingOf(deps, timings, video);
    if (typeof timing === 'string') {
      skip(row, timing);
      continue;
    }
    const frames = spanFrames(row.span, timing);
    if (typeof frames === 'string') {
      skip(row, frames);
      continue;
    }
    usable.push({ row, frames, classKey: key, className: known.get(key) ?? unknown.get(key) ?? label, confidence: row.score as number });
  }

  const chosen = chooseClips(deps.db, usable, skip);
  const createdClasses = options.createClasses ? createMissing(deps.classes, known, chosen.map((c) => c.entry)) : [];
  const labelled = countLabelled(deps.db, chosen.map((c) => c.clipId));
  let run: RunDto | null = null;
  if (chosen.length > 0) {
    const classes: RunClass[] = deps.classes.list(true).map((c) => ({ id: c.id, name: c.name }));
    const indexOf = new Map(classes.map((c, i) => [c.name.toLowerCase(), i]));
    const rows: ImportedPrediction[] = chosen.map(({ clipId, entry }) => {
      const classIndex = indexOf.get(entry.classKey);
      if (classIndex === undefined) throw new ApiError('INTERNAL', `The import lost track of class “${entry.className}”.`);
      return { clipId, classId: classes[classIndex]!.id, classIndex, probs: importedProbs(classes.length, classIndex, entry.confidence) };
    });
    const runId = deps.db.transaction(() => {
      const id = deps.runs.createImported({
        name: options.name ?? `Imported ${path.basename(options.file)}`,
        classes,
        source: { file: options.file, format: options.format },
      });
      deps.predictions.saveImported(id, rows);
      return id;
    })();
    run = deps.runs.get(runId);
  }

  const report: PredictionImportReport = {
    file: options.file,
    format: options.format,
    run,
    usable: new Set(chosen.map((c) => c.entry)).size,
    clips: chosen.length,
    labelledClips: labelled,
    createdClasses,
    unknownClasses: [...unknown.values()],
    skipped: skipped.sort(inFileOrder).map((p): LabelImportSkip => ({ line: p.place.line, where: p.place.where, reason: p.reason })),
    notes: [
      ...parsed.notes,
      ...(labelled > 0
        ? [`${labelled} of the ${chosen.length} clips already ${labelled === 1 ? 'has a label' : 'have labels'}: labels stay, and review leaves those clips out.`]
        : []),
    ],
  };
  return { report, run };
}

function timingOf(deps: PredictionImportDeps, cache: Map<number, VideoTiming | string>, video: VideoRow): VideoTiming | string {
  let timing = cache.get(video.id);
  if (timing === undefined) {
    try {
      timing = deps.timingOf(video);
    } catch (err) {
      timing = `video ${video.name} has no frame timing: ${err instanceof Error ? err.message : String(err)}`;
    }
    cache.set(video.id, timing);
  }
  return timing;
}

/** Maps the usable entries of each video onto its clips; an entry that ends up with none is skipped and says why. */
function chooseClips(db: Database, usable: readonly Usable[], skip: (row: LabelRow, reason: string) => void): { clipId: number; entry: Usable }[] {
  const byVideo = new Map<number, Usable[]>();
  for (const entry of usable) {
    const list = byVideo.get(entry.row.videoId);
    if (list) list.push(entry);
    else byVideo.set(entry.row.videoId, [entry]);
  }
  const clipsOf = db.prepare('SELECT id, start_frame AS startFrame, end_frame AS endFrame FROM clips WHERE video_id = ? ORDER BY start_frame, id');
  const chosen: { clipId: number; entry: Usable }[] = [];
  for (const [videoId, entries] of byVideo) {
    const clips = clipsOf.all(videoId) as { id: number; startFrame: number; endFrame: number }[];
    const cover = segmentCover(clips, entries.map((e) => ({ ...e.frames, confidence: e.confidence })));
    const won = new Set(cover.byClip.values());
    for (const [clipId, index] of cover.byClip) chosen.push({ clipId, entry: entries[index]! });
    entries.forEach((entry, index) => {
      if (won.has(index)) return;
      skip(
        entry.row,
        cover.overlapped[index] === 0
          ? 'no clip of the video lies in this segment (cut the video into clips first)'
          : 'every clip it overlaps takes another prediction of the file that overlaps that clip more',
      );
    });
  }
  return chosen;
}

/** Creates the classes the chosen entries name and the project lacks; answers their names. */
function createMissing(classes: ClassService, known: ReadonlyMap<string, string>, entries: readonly Usable[]): string[] {
  const created: string[] = [];
  for (const entry of entries) {
    if (known.has(entry.classKey) || created.some((name) => name.toLowerCase() === entry.classKey)) continue;
    created.push(classes.create(entry.className).name);
  }
  return created;
}

function countLabelled(db: Database, clipIds: readonly number[]): number {
  const labelled = db.prepare('SELECT 1 FROM labels WHERE clip_id = ? LIMIT 1');
  return clipIds.filter((id) => labelled.get(id) !== undefined).length;
}
