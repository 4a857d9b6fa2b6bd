/**
 * Label Studio JSON tasks with a `<Video>` and `<TimelineLabels>` (or `<Choices>` for whole-video
 * classes). TimelineLabels ranges are frame numbers at the Video tag's `frameRate` (24 unless the
 * config says otherwise, possibly from task data such as `$fps`), counted from 1 and inclusive
 * at both ends: the Video tag starts at frame 1 and a one-frame region is `{start: n, end: n}`.
 * So Label Studio frame n covers [(n − 1) / fps, n / fps) of video time, and a range
 * {start: s, end: e} is our 0-based, end-exclusive frames [s − 1, e) when both use one rate.
 * Predictions are not labels: read as labels, a task's `predictions` are skipped with a note; read as
 * predictions, they are what is read (with the prediction's `score`, or a result's own), and the
 * annotations are left out instead.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError } from '../../../shared/errors.js';
import { pathForFile } from './csv-table.js';
import { jsonPlace, type LabelFormatModule, type LabelRow, type ParsedLabels, type RowProblem } from './format-types.js';
import { isRecord, numberFrom, parseJsonDocument, plural, shown, type JsonRecord } from './json-input.js';
import type { VideoIndex, VideoMatch } from './video-index.js';

const NAME = 'Label Studio JSON';
export const LABEL_STUDIO_DEFAULT_FPS = 24;
const FPS_KEYS = ['fps', 'frameRate', 'framerate', 'frame_rate'] as const;
const VIDEO_URL = /\.(mp4|m4v|mov|avi|mkv|webm|mpe?g|wmv|flv|ogv|3gp|ts|mts|m2ts)(\?|#|$)/i;
/** Label Studio prefixes uploaded files with 8 hex digits and a dash. */
const UPLOAD_PREFIX = /^[0-9a-f]{8}-(.+)$/;

/** Label Studio frame n (1-based) starts at (n − 1) / fps; a range ends where its last frame ends. */
export function rangeToSeconds(start: number, end: number, fps: number): { start: number; end: number } {
  return { start: (start - 1) / fps, end: end / fps };
}

/** Our interval in seconds as a Label Studio range at `fps`: 1-based, inclusive, at least one frame. */
export function secondsToRange(startSec: number, endSec: number, fps: number): { start: number; end: number } {
  const start = Math.round(startSec * fps) + 1;
  return { start, end: Math.max(start, Math.round(endSec * fps)) };
}

function videoRef(data: JsonRecord): string | null {
  if (typeof data.video === 'string' && data.video !== '') return data.video;
  for (const value of Object.values(data)) {
    if (typeof value === 'string' && VIDEO_URL.test(value)) return value;
  }
  return null;
}

function taskFps(data: JsonRecord): number | null {
  for (const key of FPS_KEYS) {
    const fps = numberFrom(data[key]);
    if (fps !== null && fps > 0 && fps <= 1000) return fps;
  }
  return null;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A video URL's file name, and the relative path a local-files URL (/data/local-files/?d=…) carries. */
function fromUrl(ref: string): { local: string | null; name: string } {
  let url: URL | null = null;
  try {
    url = new URL(ref, 'http://label-studio.invalid');
  } catch {
    url = null;
  }
  const local = url?.searchParams.get('d') || null;
  return { local, name: decode(path.posix.basename(local ?? url?.pathname ?? ref)) };
}

/** Finds the video a task's `data.video` names: a path, a file:// URL, a Label Studio URL, then by file name. */
function locate(videos: VideoIndex, baseDir: string, ref: string): VideoMatch {
  const shownRef = `“${ref.length > 80 ? `${ref.slice(0, 79)}…` : ref}”`;
  let name: string;
  let local: string | null = null;
  if (ref.startsWith('file:')) {
    let file: string | null = null;
    try {
      file = fileURLToPath(ref);
    } catch {
      file = null;
    }
    const exact = file ? videos.byPath(file) : null;
    if (exact) return { video: exact, by: 'path' };
    name = path.basename(file ?? ref);
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) {
    ({ local, name } = fromUrl(ref));
  } else {
    const exact = videos.byPath(path.resolve(baseDir, ref));
    if (exact) return { video: exact, by: 'path' };
    // Label Studio's own URLs have no host: /data/upload/…, /data/local-files/?d=…
    ({ local, name } = ref.startsWith('/data/') ? fromUrl(ref) : { local: null, name: path.basename(ref) });
  }
  if (local) {
    const found = videos.bySuffix(local);
    if (found.length === 1) return { video: found[0]!, by: 'path' };
  }
  const byName = videos.matchName(name, shownRef);
  if ('video' in byName) return byName;
  const uploaded = UPLOAD_PREFIX.exec(name);
  if (uploaded && videos.byName(uploaded[1]!).length > 0) return videos.matchName(uploaded[1]!, shownRef);
  return byName;
}

/** A score as written; NaN for one that is not a number, so the import can say so. */
function scoreOf(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  return numberFrom(value) ?? Number.NaN;
}

interface Tally {
  ownFps: number;
  defaultFps: number;
  cancelled: number;
  /** Entries of the other kind, left out: predictions when reading labels, annotations when reading predictions. */
  other: number;
  otherTypes: Map<string, number>;
}

function talliedNotes(t: Tally, fallbackFps: number, fpsGiven: boolean, reading: 'labels' | 'predictions'): string[] {
  const notes: string[] = [];
  if (t.ownFps > 0) notes.push(`${plural(t.ownFps, 'task')} carried a frame rate in data (fps): ranges read at that rate.`);
  if (t.defaultFps > 0) {
    notes.push(
      fpsGiven
        ? `${plural(t.defaultFps, 'task')} read at ${fallbackFps} fps.`
        : `${plural(t.defaultFps, 'task')} had no frame rate: ranges read at ${fallbackFps} fps, Label Studio's default ` +
            '(give the frame rate of your Video tag if it sets another).',
    );
  }
  if (t.cancelled > 0) notes.push(`${plural(t.cancelled, 'cancelled annotation')} skipped.`);
  if (t.other > 0 && reading === 'labels') {
    notes.push(
      `${plural(t.other, 'prediction')} skipped: predictions are not labels; import them as pseudo-labels to review with “vssl predictions import”.`,
    );
  }
  if (t.other > 0 && reading === 'predictions') {
    notes.push(`${plural(t.other, 'annotation')} left out: they are labels; import them with “vssl labels import”.`);
  }
  for (const [type, n] of t.otherTypes) {
    notes.push(`${plural(n, 'result')} of type “${type}” skipped: only timelinelabels and choices carry clip labels.`);
  }
  return notes;
}

export const labelstudioFormat: LabelFormatModule = {
  format: 'labelstudio',

  parse(text, ctx): ParsedLabels {
    const doc = parseJsonDocument(text, NAME);
    const tasks = Array.isArray(doc) ? doc : isRecord(doc) && isRecord(doc.data) ? [doc] : null;
    if (!tasks) {
      throw new ApiError('UNSUPPORTED', `Not a ${NAME} file: expected a list of tasks ([{"data": {"video": …}, "annotations": […]}]).`);
    }
    const fallbackFps = ctx.fps ?? LABEL_STUDIO_DEFAULT_FPS;
    const rows: LabelRow[] = [];
    const skipped: RowProblem[] = [];
    const tally: Tally = { ownFps: 0, defaultFps: 0, cancelled: 0, other: 0, otherTypes: new Map() };
    const reading = ctx.read ?? 'labels';
    const noun = reading === 'predictions' ? 'prediction' : 'annotation';

    tasks.forEach((task: unknown, t) => {
      const taskName = `task ${t + 1}${isRecord(task) && (typeof task.id === 'number' || typeof task.id === 'string') ? ` (id ${task.id})` : ''}`;
      if (!isRecord(task) || !isRecord(task.data)) {
        skipped.push({ place: jsonPlace(taskName), reason: `malformed task: expected {"data": {…}}, found ${shown(task)}` });
        return;
      }
      const other = reading === 'predictions' ? task.annotations : task.predictions;
      if (Array.isArray(other)) tally.other += other.length;
      const annotations = (reading === 'predictions' ? task.predictions : task.annotations) ?? [];
      if (!Array.isArray(annotations)) {
        skipped.push({ place: jsonPlace(taskName), reason: `malformed task: ${noun}s must be a list, found ${shown(annotations)}` });
        return;
      }
      const hasResults = annotations.some((a) => isRecord(a) && Array.isArray(a.result) && a.result.length > 0);
      if (!hasResults) return;
      const ref = videoRef(task.data);
      if (ref === null) {
        skipped.push({ place: jsonPlace(taskName), reason: 'no video in the task data (expected data.video)' });
        return;
      }
      const match = locate(ctx.videos, ctx.baseDir, ref);
      if ('reason' in match) {
        skipped.push({ place: jsonPlace(taskName), reason: `${match.reason} (its ${noun}s skipped)` });
        return;
      }
      const own = taskFps(task.data);
      const fps = own ?? fallbackFps;
      if (own !== null) tally.ownFps++;
      else tally.defaultFps++;

      annotations.forEach((annotation: unknown, a) => {
        const annotationName = `${taskName}, ${noun} ${a + 1}`;
        if (!isRecord(annotation) || !Array.isArray(annotation.result ?? [])) {
          skipped.push({ place: jsonPlace(annotationName), reason: `malformed ${noun}: expected {"result": […]}, found ${shown(annotation)}` });
          return;
        }
        if (annotation.was_cancelled === true) {
          tally.cancelled++;
          return;
        }
        (annotation.result as unknown[] | undefined)?.forEach((result: unknown, r) => {
          const resultName = `${annotationName}, result ${r + 1}`;
          const place = jsonPlace(resultName);
          if (!isRecord(result) || !isRecord(result.value)) {
            skipped.push({ place, reason: `malformed result: expected {"type", "value": {…}}, found ${shown(result)}` });
            return;
          }
          const value = result.value;
          // A result's own score wins over its prediction's (Label Studio allows both).
          const scored = (row: LabelRow): LabelRow =>
            reading === 'predictions' ? { ...row, score: scoreOf(result.score) ?? scoreOf(annotation.score) } : row;
          const type = typeof result.type === 'string' ? result.type : 'timelinelabels' in value ? 'timelinelabels' : 'choices' in value ? 'choices' : '';
          if (type === 'choices') {
            const choices = value.choices;
            if (!Array.isArray(choices) || !choices.every((c) => typeof c === 'string')) {
              skipped.push({ place, reason: `malformed result: choices must be a list of class names, found ${shown(choices)}` });
            } else if (choices.length !== 1) {
              skipped.push({ place, reason: `${choices.length} choices on one video: a clip carries one class` });
            } else {
              rows.push(scored({ place, videoId: match.video.id, span: { kind: 'whole' }, label: (choices[0] as string).trim() || null }));
            }
            return;
          }
          if (type !== 'timelinelabels') {
            tally.otherTypes.set(type || 'unknown', (tally.otherTypes.get(type || 'unknown') ?? 0) + 1);
            return;
          }
          const labels = value.timelinelabels ?? [];
          const ranges = value.ranges;
          if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) {
            skipped.push({ place, reason: `malformed result: timelinelabels must be a list of class names, found ${shown(labels)}` });
            return;
          }
          if (labels.length > 1) {
            skipped.push({ place, reason: `${labels.length} labels on one range (${labels.join(', ')}): a clip carries one class` });
            return;
          }
          if (!Array.isArray(ranges) || ranges.length === 0) {
            skipped.push({ place, reason: `malformed result: ranges must be a list of {start, end} frames, found ${shown(ranges)}` });
            return;
          }
          const label = labels.length === 1 ? (labels[0] as string).trim() || null : null;
          ranges.forEach((range: unknown, k) => {
            const rangePlace = ranges.length > 1 ? jsonPlace(`${resultName}, range ${k + 1}`) : place;
            const start = isRecord(range) ? range.start : undefined;
            const end = isRecord(range) ? range.end : undefined;
            if (typeof start !== 'number' || !Number.isFinite(start) || typeof end !== 'number' || !Number.isFinite(end)) {
              skipped.push({ place: rangePlace, reason: `malformed range: start and end must be frame numbers, found ${shown(range)}` });
            } else if (end < start) {
              skipped.push({ place: rangePlace, reason: `end ≤ start: frames ${start}–${end}` });
            } else {
              rows.push(scored({ place: rangePlace, videoId: match.video.id, span: { kind: 'seconds', ...rangeToSeconds(start, end, fps) }, label }));
            }
          });
        });
      });
    });
    return { rows, skipped, notes: talliedNotes(tally, fallbackFps, ctx.fps !== undefined, reading) };
  },

  write(data) {
    let rows = 0;
    let unlabelled = 0;
    const tasks = data.videos.map((video) => {
      const fps = data.fps ?? video.timing.fps;
      const result = [];
      for (const clip of video.clips) {
        if (clip.className === null) {
          unlabelled++;
          continue;
        }
        result.push({
          id: `vssl-${video.row.id}-${clip.startFrame}-${clip.endFrame}`,
          type: 'timelinelabels',
          from_name: 'timelineLabels',
          to_name: 'video',
          origin: 'manual',
          value: { ranges: [secondsToRange(clip.startSec, clip.endSec, fps)], timelinelabels: [clip.className] },
        });
      }
      rows += result.length;
      return {
        data: { video: pathForFile(video.row.path, data.file).split(path.sep).join('/'), fps },
        meta: {
          frames: "Label Studio frames: 1-based and inclusive, at data.fps, counted from the video's first frame",
        },
        annotations: result.length > 0 ? [{ result }] : [],
        predictions: [],
      };
    });
    const notes = [
      'Set frameRate="$fps" on the Video tag so Label Studio reads the ranges at each video\'s frame rate.',
      ...(unlabelled > 0 ? [`${plural(unlabelled, 'unlabelled segment')} not written: Label Studio timeline regions need a label.`] : []),
    ];
    return { files: [{ path: data.file, text: `${JSON.stringify(tasks, null, 2)}\n` }], rows, notes };
  },
};
