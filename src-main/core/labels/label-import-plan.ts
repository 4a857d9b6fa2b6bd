import type { Database } from 'better-sqlite3';
import type { LabelSource } from '../../shared/dto.js';
import { ApiError } from '../../shared/errors.js';
import { durationOf, frameDuration, nearestBoundary, timeOfFrame, type VideoTiming } from '../../shared/frame-time.js';
import { CLASS_HOTKEY_ORDER } from '../../shared/keymap.js';
import type { VideoRow } from '../media/video-repository.js';
import type { LabelRow, RowPlace, RowProblem, RowSpan } from './formats/format-types.js';
import { CLASS_PALETTE } from './label-palette.js';

/** Frames [startFrame, endFrame) of a video, 0-based, with the same interval in seconds. */
export interface FrameSpan {
  startFrame: number;
  endFrame: number;
  startSec: number;
  endSec: number;
}

/** A clip as the import sees it: one already in the project (id) or one it will create (id null). */
export interface PlannedClip {
  id: number | null;
  videoId: number;
  startFrame: number;
  endFrame: number;
  startSec: number;
  endSec: number;
  /** Lower-cased class name of its label, null when unlabelled. */
  classKey: string | null;
  className: string | null;
  source: LabelSource | null;
  /** The row of this file that set its label, if one did. */
  setBy: RowPlace | null;
  /** The import gives it a label it did not have. */
  relabel: boolean;
  /** Classes ruled out for it (negative labels), by lower-cased name: the project's and this file's. */
  ruledOut: Map<string, RuledOut>;
}

/** A negative label ("not class c") of a clip: one in the project (id) or one the import adds (id null). */
export interface RuledOut {
  id: number | null;
  className: string;
  source: LabelSource;
  /** The row of this file that ruled it out, if one did. */
  setBy: RowPlace | null;
}

/** A negative label the import adds. */
export interface PlannedNegative {
  clip: PlannedClip;
  classKey: string;
  className: string;
}

export interface PlannedClass {
  name: string;
  color: string;
  hotkey: string | null;
  position: number;
}

export interface ImportRules {
  /** Create classes the project lacks; otherwise their rows are skipped. */
  newClasses: boolean;
  /**
   * Replace labels a person or review put on a clip, and negative labels they gave the class a
   * row labels it with; those from an earlier import are always replaceable.
   */
  overwrite: boolean;
}

type ClassChoice = { key: string; name: string; create: PlannedClass | null };

interface ClipRow {
  id: number;
  start_frame: number;
  end_frame: number;
  start_sec: number;
  end_sec: number;
  class_name: string | null;
  source: LabelSource | null;
}

const MAX_CLASS_NAME = 100;

function seconds(t: number): string {
  return `${Number(t.toFixed(3))} s`;
}

function byWhom(source: LabelSource | null): string {
  return source === 'review' ? 'in review' : source === 'import' ? 'by an import' : 'by a person';
}

/** A row's interval on frame boundaries (nearest boundary to each edge), or why it has none. */
export function spanFrames(span: RowSpan, timing: VideoTiming): FrameSpan | string {
  const duration = durationOf(timing);
  const last = Math.max(0, timing.frameCount - 1);
  if (span.kind === 'whole') {
    return { startFrame: 0, endFrame: timing.frameCount, startSec: 0, endSec: duration };
  }
  let { start, end } = span;
  if (!(end > start)) return `end ≤ start (${seconds(start)} – ${seconds(end)})`;
  if (span.clampToVideo) {
    start = Math.max(0, start);
    end = Math.min(duration, end);
  }
  if (start < -frameDuration(timing, 0) / 2) {
    return `out of range: starts at ${seconds(start)}, before the video's first frame`;
  }
  if (end > duration + frameDuration(timing, last) / 2) {
    return `out of range: ends at ${seconds(end)}, past the video's end (${seconds(duration)})`;
  }
  const startFrame = nearestBoundary(timing, start);
  const endFrame = nearestBoundary(timing, end);
  if (endFrame <= startFrame) {
    return `shorter than a frame: ${seconds(start)} – ${seconds(end)} holds no whole frame`;
  }
  return { startFrame, endFrame, startSec: timeOfFrame(timing, startFrame), endSec: timeOfFrame(timing, endFrame) };
}

/**
 * Decides, row by row and without writing, what an import does: which clip each row labels or
 * creates, which classes it creates, and which rows it cannot use and why. The first row to
 * label a clip wins over later rows of the same file.
 */
export class ImportPlanner {
  readonly skipped: RowProblem[] = [];
  readonly newClasses: PlannedClass[] = [];
  /** Negative labels the import adds, in the order the rows asked. */
  readonly newNegatives: PlannedNegative[] = [];
  /** Negative labels in the project the import removes: a row labels their clip with their class. */
  readonly replacedNegatives: number[] = [];
  applied = 0;
  private readonly classes = new Map<string, string>();
  private readonly planned = new Map<string, PlannedClass>();
  private readonly clipsByVideo = new Map<number, Map<string, PlannedClip[]>>();
  private readonly timings = new Map<number, VideoTiming | string>();
  private readonly takenHotkeys: Set<string>;
  private readonly classCount: number;
  private readonly nextPosition: number;

  constructor(
    private readonly db: Database,
    private readonly videos: ReadonlyMap<number, VideoRow>,
    private readonly timing: (row: VideoRow) => VideoTiming,
    private readonly rules: ImportRules,
  ) {
    const rows = db.prepare('SELECT name, hotkey, position FROM classes').all() as {
      name: string;
      hotkey: string | null;
      position: number;
    }[];
    for (const row of rows) this.classes.set(row.name.toLowerCase(), row.name);
    this.takenHotkeys = new Set(rows.flatMap((r) => (r.hotkey ? [r.hotkey] : [])));
    this.classCount = rows.length;
    this.nextPosition = rows.reduce((max, r) => Math.max(max, r.position), -1) + 1;
  }

  /** Every clip the import creates or labels, in the order the rows asked. */
  readonly touched: PlannedClip[] = [];

  add(row: LabelRow): void {
    const problem = this.plan(row);
    if (problem === null) this.applied++;
    else this.skipped.push({ place: row.place, reason: problem });
  }

  createdClips(): number {
    return this.touched.filter((c) => c.id === null).length;
  }

  labelledClips(): number {
    return this.touched.filter((c) => c.relabel).length;
  }

  videoIds(): number[] {
    return [...new Set([...this.touched, ...this.newNegatives.map((n) => n.clip)].map((c) => c.videoId))];
  }

  /** The import writes something. */
  changes(): boolean {
    return this.touched.length > 0 || this.newNegatives.length > 0;
  }

  /** What the report says about negative labels, if the file had any. */
  negativeNotes(): string[] {
    const notes: string[] = [];
    const added = this.newNegatives.length;
    const replaced = this.replacedNegatives.length;
    if (added > 0) notes.push(`${added} negative label${added === 1 ? '' : 's'} (“not class c”) imported.`);
    if (replaced > 0) {
      notes.push(
        `${replaced} negative label${replaced === 1 ? '' : 's'} removed: a row labels the clip with that class.`,
      );
    }
    return notes;
  }

  /** Plans one row; answers why it cannot be used, or null. */
  private plan(row: LabelRow): string | null {
    const video = this.videos.get(row.videoId);
    if (!video) return `unknown video ${row.videoId}`;
    const timing = this.timingOf(video);
    if (typeof timing === 'string') return timing;

    const frames = spanFrames(row.span, timing);
    if (typeof frames === 'string') return frames;

    // Classes this row would create, so that two new names in one row get different hotkeys.
    const pending = new Map<string, PlannedClass>();
    const label = this.classFor(row.label, pending);
    if (label && 'reason' in label) return label.reason;
    const classKey = label?.key ?? null;
    const negatives = this.ruledOutClasses(row.ruledOut ?? [], pending);
    if ('reason' in negatives) return negatives.reason;
    if (label && negatives.some((n) => n.key === label.key)) {
      return `the label “${label.name}” is also ruled out in the not column`;
    }

    const key = `${frames.startFrame}:${frames.endFrame}`;
    const clips = this.clipsOf(video.id);
    const candidates = clips.get(key) ?? [];
    const clip =
      candidates.find((c) => classKey !== null && c.classKey === classKey) ??
      candidates.find((c) => c.classKey === null) ??
      candidates[0];

    if (!clip) {
      const created: PlannedClip = {
        id: null,
        videoId: video.id,
        ...frames,
        classKey,
        className: label?.name ?? null,
        source: classKey === null ? null : 'import',
        setBy: classKey === null ? null : row.place,
        relabel: classKey !== null,
        ruledOut: new Map(),
      };
      clips.set(key, [...candidates, created]);
      this.touched.push(created);
      this.ruleOut(created, negatives, row.place);
      this.commitClasses(pending);
      return null;
    }

    const relabels = classKey !== null && clip.classKey !== classKey;
    if (relabels && clip.classKey !== null) {
      if (clip.setBy) return `the same clip is already labelled “${clip.className}” by ${clip.setBy.where}`;
      if (clip.source !== 'import' && !this.rules.overwrite) {
        return `clip already labelled “${clip.className}” ${byWhom(clip.source)} (import with overwrite to replace it)`;
      }
    }
    const finalKey = relabels ? classKey : clip.classKey;
    if (finalKey !== null && negatives.some((n) => n.key === finalKey)) {
      const by = clip.setBy ? ` by ${clip.setBy.where}` : '';
      return `the clip is labelled “${clip.className}”${by}, which the not column rules out`;
    }
    const replaced = relabels ? clip.ruledOut.get(classKey) : undefined;
    if (replaced) {
      if (replaced.setBy) return `the same clip has “${replaced.className}” ruled out by ${replaced.setBy.where}`;
      if (replaced.source !== 'import' && !this.rules.overwrite) {
        return `clip has “${replaced.className}” ruled out ${byWhom(replaced.source)} (import with overwrite to replace it)`;
      }
    }

    if (relabels) {
      clip.classKey = classKey;
      clip.className = label?.name ?? null;
      clip.source = 'import';
      clip.setBy = row.place;
      if (!clip.relabel) {
        clip.relabel = true;
        if (clip.id !== null) this.touched.push(clip);
      }
      if (replaced) {
        clip.ruledOut.delete(classKey);
        if (replaced.id !== null) this.replacedNegatives.push(replaced.id);
      }
    }
    this.ruleOut(clip, negatives, row.place);
    this.commitClasses(pending);
    return null;
  }

  /** The classes of a row's not column, or why one of them cannot be used. */
  private ruledOutClasses(names: readonly string[], pending: Map<string, PlannedClass>): ClassChoice[] | { reason: string } {
    const found = new Map<string, ClassChoice>();
    for (const name of names) {
      const choice = this.classFor(name, pending);
      if (choice === null) continue;
      if ('reason' in choice) return { reason: `not column: ${choice.reason}` };
      found.set(choice.key, choice);
    }
    return [...found.values()];
  }

  /** Adds the negative labels a clip does not have yet. */
  private ruleOut(clip: PlannedClip, negatives: readonly ClassChoice[], place: RowPlace): void {
    for (const negative of negatives) {
      if (clip.ruledOut.has(negative.key)) continue;
      clip.ruledOut.set(negative.key, { id: null, className: negative.name, source: 'import', setBy: place });
      this.newNegatives.push({ clip, classKey: negative.key, className: negative.name });
    }
  }

  private timingOf(video: VideoRow): VideoTiming | string {
    let timing = this.timings.get(video.id);
    if (timing === undefined) {
      try {
        timing = this.timing(video);
      } catch (err) {
        timing = `video ${video.name} cannot be labelled: ${err instanceof ApiError ? err.message : String(err)}`;
      }
      this.timings.set(video.id, timing);
    }
    return timing;
  }

  /**
   * A class named in a row: an existing one, one this import creates, none (null), or why it
   * cannot have one. A class to create goes into `pending`, which `commitClasses` keeps once the
   * row is planned.
   */
  private classFor(label: string | null, pending: Map<string, PlannedClass>): ClassChoice | { reason: string } | null {
    if (label === null) return null;
    const name = label.trim();
    if (name === '') return null;
    if (name.length > MAX_CLASS_NAME) return { reason: `class name longer than ${MAX_CLASS_NAME} characters` };
    const key = name.toLowerCase();
    const existing = this.classes.get(key) ?? this.planned.get(key)?.name;
    if (existing !== undefined) return { key, name: existing, create: null };
    const planned = pending.get(key);
    if (planned) return { key, name: planned.name, create: planned };
    if (!this.rules.newClasses) return { reason: `unknown class “${name}” (creating classes was not allowed)` };
    const index = this.newClasses.length + pending.size;
    const hotkeys = new Set([...pending.values()].map((c) => c.hotkey));
    const hotkey = CLASS_HOTKEY_ORDER.find((k) => !this.takenHotkeys.has(k) && !hotkeys.has(k)) ?? null;
    const create = {
      name,
      color: CLASS_PALETTE[(this.classCount + index) % CLASS_PALETTE.length]!,
      hotkey,
      position: this.nextPosition + index,
    };
    pending.set(key, create);
    return { key, name, create };
  }

  private commitClasses(pending: ReadonlyMap<string, PlannedClass>): void {
    for (const [key, create] of pending) {
      this.planned.set(key, create);
      this.newClasses.push(create);
      if (create.hotkey) this.takenHotkeys.add(create.hotkey);
    }
  }

  private clipsOf(videoId: number): Map<string, PlannedClip[]> {
    let clips = this.clipsByVideo.get(videoId);
    if (!clips) {
      clips = new Map();
      const rows = this.db
        .prepare(
          `SELECT c.id, c.start_frame, c.end_frame, c.start_sec, c.end_sec, cl.name AS class_name, l.source
           FROM clips c
           LEFT JOIN labels l ON l.id = (SELECT MIN(id) FROM labels WHERE clip_id = c.id)
           LEFT JOIN classes cl ON cl.id = l.class_id
           WHERE c.video_id = ? ORDER BY c.id`,
        )
        .all(videoId) as ClipRow[];
      const negatives = this.negativesOf(videoId);
      for (const row of rows) {
        const key = `${row.start_frame}:${row.end_frame}`;
        const clip: PlannedClip = {
          id: row.id,
          videoId,
          startFrame: row.start_frame,
          endFrame: row.end_frame,
          startSec: row.start_sec,
          endSec: row.end_sec,
          classKey: row.class_name?.toLowerCase() ?? null,
          className: row.class_name,
          source: row.source,
          setBy: null,
          relabel: false,
          ruledOut: negatives.get(row.id) ?? new Map<string, RuledOut>(),
        };
        clips.set(key, [...(clips.get(key) ?? []), clip]);
      }
      this.clipsByVideo.set(videoId, clips);
    }
    return clips;
  }

  /** The negative labels of a video's clips, by clip id. */
  private negativesOf(videoId: number): Map<number, Map<string, RuledOut>> {
    const rows = this.db
      .prepare(
        `SELECT n.id, n.clip_id, n.source, cl.name AS class_name
         FROM negative_labels n
         JOIN clips c ON c.id = n.clip_id
         JOIN classes cl ON cl.id = n.class_id
         WHERE c.video_id = ? ORDER BY n.id`,
      )
      .all(videoId) as { id: number; clip_id: number; source: LabelSource; class_name: string }[];
    const byClip = new Map<number, Map<string, RuledOut>>();
    for (const row of rows) {
      const ruledOut = byClip.get(row.clip_id) ?? new Map<string, RuledOut>();
      ruledOut.set(row.class_name.toLowerCase(), { id: row.id, className: row.class_name, source: row.source, setBy: null });
      byClip.set(row.clip_id, ruledOut);
    }
    return byClip;
  }
}
