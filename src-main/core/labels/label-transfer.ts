/**
 * Import and export of labels in other tools' formats. An import reads the whole file, plans
 * every row without writing (which clip it labels or creates, which classes it needs, which
 * rows cannot be used and why), then applies everything usable in one transaction recorded as
 * one history entry, so one undo takes the whole import back. A file that is not the format at
 * all is refused before anything is written.
 *
 * Times in every format are video time: seconds from the video's first frame (not the stream's
 * presentation time); frames are 0-based with the end exclusive, except where a format counts
 * otherwise (Label Studio: 1-based, inclusive), which its module converts.
 */
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { LabelExportReport, LabelFormat, LabelImportReport } from '../../shared/dto.js';
import { ApiError } from '../../shared/errors.js';
import type { VideoTiming } from '../../shared/frame-time.js';
import { nowIso } from '../clock.js';
import type { VideoRepository, VideoRow } from '../media/video-repository.js';
import { projectFile } from '../project/project-files.js';
import type { ChangeJournal } from './change-journal.js';
import { inFileOrder, type ExportClip, type ExportVideo, type ParseContext } from './formats/format-types.js';
import { readTextFile, writeTextFiles } from './formats/label-file-io.js';
import { LABEL_FORMAT_MODULES } from './formats/label-formats.js';
import { parseClassNames } from './formats/mmaction-format.js';
import { VideoIndex } from './formats/video-index.js';
import { ImportPlanner, type PlannedClip } from './label-import-plan.js';
import { isLabellable } from './video-timing.js';

export interface ImportOptions {
  file: string;
  format: LabelFormat;
  newClasses: boolean;
  overwrite: boolean;
  dryRun: boolean;
  fps?: number;
  classesFile?: string;
}

export interface ExportOptions {
  file: string;
  format: LabelFormat;
  fps?: number;
  classesFile?: string;
}

export interface ImportOutcome {
  report: LabelImportReport;
  /** Videos whose clips or labels changed (empty for a dry run). */
  videoIds: number[];
}

/** Where an MMAction list's classes file is unless told: `<list name>.classes.txt` beside the list. */
export function defaultClassesFile(listFile: string): string {
  const ext = path.extname(listFile);
  return path.join(path.dirname(listFile), `${path.basename(listFile, ext)}.classes.txt`);
}

/** The class names of an MMAction list, from its classes file. */
function readClassNames(options: ImportOptions): string[] {
  const file = options.classesFile ?? defaultClassesFile(options.file);
  requireAbsolute(file, 'classes file');
  try {
    return parseClassNames(readTextFile(file, 'classes file'));
  } catch (err) {
    if (err instanceof ApiError && err.code === 'NOT_FOUND') {
      throw new ApiError(
        'NOT_FOUND',
        `The classes file ${file} does not exist: an MMAction list names classes by index, so it needs ` +
          'its classes file (one class name per line; line 1 is index 0).',
      );
    }
    throw err;
  }
}

function requireAbsolute(file: string, what: string): void {
  if (!path.isAbsolute(file)) throw new ApiError('INVALID_PARAMS', `The ${what} must be an absolute path, not ${file}.`);
}

interface ExportClipRow {
  id: number;
  video_id: number;
  start_frame: number;
  end_frame: number;
  start_sec: number;
  end_sec: number;
  class_name: string | null;
}

/** What the transfer needs from the open project. */
export interface TransferContext {
  db: Database;
  projectDir: string;
  videos: VideoRepository;
  journal: ChangeJournal;
  author: string;
  /** The frame timing clips use (per-frame times for variable-frame-rate videos). */
  timingOf: (row: VideoRow) => VideoTiming;
  /** Cuts the automatic clips of videos not cut yet, so rows can match them. */
  ensureSegmented: () => void;
}

export class LabelTransfer {
  private readonly db: Database;
  private readonly videos: VideoRepository;

  constructor(private readonly ctx: TransferContext) {
    this.db = ctx.db;
    this.videos = ctx.videos;
  }

  import(options: ImportOptions): ImportOutcome {
    requireAbsolute(options.file, 'label file');
    const text = readTextFile(options.file, 'label file');
    const parseContext: ParseContext = {
      videos: new VideoIndex(this.videos.list()),
      baseDir: path.dirname(options.file),
    };
    if (options.fps !== undefined) parseContext.fps = options.fps;
    if (options.format === 'mmaction') parseContext.classNames = readClassNames(options);
    const parsed = LABEL_FORMAT_MODULES[options.format].parse(text, parseContext);

    this.ctx.ensureSegmented();
    const videos = new Map(parseContext.videos.rows.map((v) => [v.id, v]));
    const planner = new ImportPlanner(this.db, videos, this.ctx.timingOf, options);
    for (const row of parsed.rows) planner.add(row);

    const report: LabelImportReport = {
      file: options.file,
      format: options.format,
      dryRun: options.dryRun,
      applied: planner.applied,
      createdClips: planner.createdClips(),
      labelledClips: planner.labelledClips(),
      createdClasses: planner.newClasses.map((c) => c.name),
      skipped: [...parsed.skipped, ...planner.skipped]
        .sort(inFileOrder)
        .map((p) => ({ line: p.place.line, where: p.place.where, reason: p.reason })),
      notes: [...parsed.notes, ...planner.negativeNotes()],
    };
    if (options.dryRun || !planner.changes()) return { report, videoIds: [] };
    this.apply(planner, `Import labels from ${path.basename(options.file)} (${options.format}, ${planner.applied} rows)`);
    return { report, videoIds: planner.videoIds() };
  }

  export(options: ExportOptions): LabelExportReport {
    requireAbsolute(options.file, 'label file');
    const classesFile =
      options.format === 'mmaction' ? (options.classesFile ?? defaultClassesFile(options.file)) : undefined;
    if (classesFile) requireAbsolute(classesFile, 'classes file');
    for (const target of [options.file, classesFile]) {
      if (!target) continue;
      if (path.resolve(target) === path.resolve(projectFile(this.ctx.projectDir)) || this.videos.byPath(path.resolve(target))) {
        throw new ApiError('CONFLICT', `${target} is part of the project (a video or its database): choose another file.`);
      }
    }
    if (classesFile && path.resolve(classesFile) === path.resolve(options.file)) {
      throw new ApiError('INVALID_PARAMS', 'The classes file and the label list must be different files.');
    }
    this.ctx.ensureSegmented();
    // Only our CSV carries negative labels: the other formats do not get clips that have nothing else.
    const carriesNegatives = options.format === 'csv';
    const written = LABEL_FORMAT_MODULES[options.format].write({
      file: options.file,
      videos: this.exportVideos(carriesNegatives),
      classNames: (this.db.prepare('SELECT name FROM classes ORDER BY position, id').all() as { name: string }[]).map((c) => c.name),
      ...(options.fps !== undefined ? { fps: options.fps } : {}),
      ...(classesFile ? { classesFile } : {}),
    });
    writeTextFiles(written.files);
    const negatives = (this.db.prepare('SELECT COUNT(*) AS n FROM negative_labels').get() as { n: number }).n;
    const notes =
      negatives > 0 && !carriesNegatives
        ? [
            ...written.notes,
            `${negatives} negative label${negatives === 1 ? '' : 's'} (“not class c”) not written: ` +
              `only the csv format carries them (column not).`,
          ]
        : written.notes;
    return {
      file: options.file,
      format: options.format,
      files: written.files.map((f) => f.path),
      rows: written.rows,
      notes,
    };
  }

  private apply(planner: ImportPlanner, description: string): void {
    this.ctx.journal.record('labels:import', description, (rec) => {
      const classIds = new Map(
        (this.db.prepare('SELECT id, name FROM classes').all() as { id: number; name: string }[]).map((c) => [
          c.name.toLowerCase(),
          c.id,
        ]),
      );
      const now = nowIso();
      for (const planned of planner.newClasses) {
        const id = rec.insert('classes', {
          name: planned.name,
          color: planned.color,
          hotkey: planned.hotkey,
          position: planned.position,
          archived: 0,
          created_at: now,
        });
        classIds.set(planned.name.toLowerCase(), id);
      }
      // Clips the import creates, for the negative labels it puts on them.
      const createdIds = new Map<PlannedClip, number>();
      for (const clip of planner.touched) {
        const clipId =
          clip.id ??
          rec.insert('clips', {
            video_id: clip.videoId,
            start_frame: clip.startFrame,
            end_frame: clip.endFrame,
            start_sec: clip.startSec,
            end_sec: clip.endSec,
            origin: 'user',
            created_at: now,
          });
        if (clip.id === null) createdIds.set(clip, clipId);
        if (!clip.relabel || clip.classKey === null) continue;
        const classId = classIds.get(clip.classKey);
        if (classId === undefined) throw new ApiError('INTERNAL', `The import lost track of class “${clip.className}”.`);
        const labels = this.db.prepare('SELECT id FROM labels WHERE clip_id = ?').all(clipId) as { id: number }[];
        for (const label of labels) rec.delete('labels', label.id);
        rec.insert('labels', { clip_id: clipId, class_id: classId, source: 'import', author: this.ctx.author, created_at: now });
      }
      for (const id of planner.replacedNegatives) rec.delete('negative_labels', id);
      for (const negative of planner.newNegatives) {
        const clipId = negative.clip.id ?? createdIds.get(negative.clip);
        const classId = classIds.get(negative.classKey);
        if (clipId === undefined || classId === undefined) {
          throw new ApiError('INTERNAL', `The import lost track of the negative label “not ${negative.className}”.`);
        }
        rec.insert('negative_labels', {
          clip_id: clipId,
          class_id: classId,
          source: 'import',
          author: this.ctx.author,
          created_at: now,
        });
      }
    });
  }

  /**
   * Labellable videos with their user segments and labelled clips, and with `withNegatives`
   * also the clips that only have negative labels.
   */
  private exportVideos(withNegatives: boolean): ExportVideo[] {
    const rows = this.db
      .prepare(
        `SELECT c.id, c.video_id, c.start_frame, c.end_frame, c.start_sec, c.end_sec, cl.name AS class_name
         FROM clips c
         LEFT JOIN labels l ON l.id = (SELECT MIN(id) FROM labels WHERE clip_id = c.id)
         LEFT JOIN classes cl ON cl.id = l.class_id
         WHERE c.origin = 'user' OR l.id IS NOT NULL
           OR (@withNegatives AND EXISTS (SELECT 1 FROM negative_labels n WHERE n.clip_id = c.id))
         ORDER BY c.video_id, c.start_frame, c.end_frame, c.id`,
      )
      .all({ withNegatives: withNegatives ? 1 : 0 }) as ExportClipRow[];
    const ruledOut = withNegatives ? this.negativeLabelNames() : new Map<number, string[]>();
    const clips = new Map<number, ExportClip[]>();
    for (const row of rows) {
      const list = clips.get(row.video_id) ?? [];
      list.push({
        startFrame: row.start_frame,
        endFrame: row.end_frame,
        startSec: row.start_sec,
        endSec: row.end_sec,
        className: row.class_name,
        ruledOut: ruledOut.get(row.id) ?? [],
      });
      clips.set(row.video_id, list);
    }
    return this.videos
      .list()
      .filter(isLabellable)
      .map((row) => ({ row, timing: this.ctx.timingOf(row), clips: clips.get(row.id) ?? [] }));
  }

  /** The classes ruled out for each clip, by clip id, in the project's class order. */
  private negativeLabelNames(): Map<number, string[]> {
    const rows = this.db
      .prepare(
        `SELECT n.clip_id, cl.name FROM negative_labels n JOIN classes cl ON cl.id = n.class_id
         ORDER BY n.clip_id, cl.position, cl.id`,
      )
      .all() as { clip_id: number; name: string }[];
    const names = new Map<number, string[]>();
    for (const row of rows) names.set(row.clip_id, [...(names.get(row.clip_id) ?? []), row.name]);
    return names;
  }
}
