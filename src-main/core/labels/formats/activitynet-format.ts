/**
 * ActivityNet ground truth: `{"database": {id: {"subset", "duration", "annotations":
 * [{"segment": [start, end], "label"}]}}}`, segments in seconds. A video matches an id by its
 * `path` (or a file `url`) when the entry has one, else by file stem (`id` or `v_id`, the way the
 * ActivityNet downloads are named). Read as predictions, the file is ActivityNet detection results,
 * `{"results": {id: [{"label", "score", "segment": [start, end]}]}}`, matched the same way; read as
 * labels, such a file is refused: predictions are reviewed, not taken as labels.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError } from '../../../shared/errors.js';
import { durationOf } from '../../../shared/frame-time.js';
import type { VideoRow } from '../../media/video-repository.js';
import { pathForFile } from './csv-table.js';
import { jsonPlace, type LabelFormatModule, type LabelRow, type ParseContext, type ParsedLabels, type RowProblem } from './format-types.js';
import { isRecord, numberFrom, parseJsonDocument, plural, shown, type JsonRecord } from './json-input.js';
import { stemOf, type VideoIndex, type VideoMatch } from './video-index.js';

const NAME = 'ActivityNet JSON';

/** A `url` that names a local file: a file:// URL or a plain path. */
function localPath(url: unknown): string | null {
  if (typeof url !== 'string' || url === '') return null;
  if (url.startsWith('file:')) {
    try {
      return fileURLToPath(url);
    } catch {
      return null;
    }
  }
  return /^[a-z][a-z0-9+.-]*:/i.test(url) ? null : url;
}

function locate(videos: VideoIndex, baseDir: string, id: string, entry: JsonRecord): VideoMatch {
  for (const written of [typeof entry.path === 'string' ? entry.path : null, localPath(entry.url)]) {
    if (!written) continue;
    const match = videos.matchPath(written, baseDir);
    if ('video' in match) return match;
  }
  const stems = [id, `v_${id}`, ...(id.startsWith('v_') ? [id.slice(2)] : [])];
  for (const stem of stems) {
    if (videos.byStem(stem).length > 0) return videos.matchStem(stem, `“${id}”`);
  }
  return { reason: `unknown video “${id}”: no video in the project is named ${id}.* or v_${id}.*` };
}

function mismatchNote(mismatches: string[]): string[] {
  if (mismatches.length === 0) return [];
  const shownList = mismatches.slice(0, 3).join('; ');
  return [
    `${plural(mismatches.length, 'video')} in the project ${mismatches.length === 1 ? 'has' : 'have'} another duration than the file says ` +
      `(${shownList}${mismatches.length > 3 ? '; …' : ''}): check they are the same videos.`,
  ];
}

function durationMismatch(video: VideoRow, said: number | null): string | null {
  if (said === null || video.duration_sec === null) return null;
  const gap = Math.abs(said - video.duration_sec);
  return gap > Math.max(1, 0.05 * video.duration_sec)
    ? `${video.name}: ${said} s in the file, ${Number(video.duration_sec.toFixed(3))} s probed`
    : null;
}

interface Collected {
  rows: LabelRow[];
  skipped: RowProblem[];
}

/** The `[{segment, label[, score]}]` list of one video: annotations (ground truth) or results (predictions). */
function readSegments(items: unknown[], base: string, noun: 'annotation' | 'prediction', videoId: number, out: Collected): void {
  items.forEach((item: unknown, k) => {
    const place = jsonPlace(`${base}[${k}]`);
    const segment = isRecord(item) ? item.segment : undefined;
    const label = isRecord(item) ? item.label : undefined;
    if (!isRecord(item)) {
      out.skipped.push({ place, reason: `malformed ${noun}: expected an object, found ${shown(item)}` });
    } else if (
      !Array.isArray(segment) ||
      segment.length !== 2 ||
      !segment.every((t) => typeof t === 'number' && Number.isFinite(t))
    ) {
      out.skipped.push({ place, reason: `malformed ${noun}: segment must be [start, end] in seconds, found ${shown(segment)}` });
    } else if (typeof label !== 'string') {
      out.skipped.push({ place, reason: `malformed ${noun}: label must be a class name, found ${shown(label)}` });
    } else if (noun === 'prediction' && item.score !== undefined && (typeof item.score !== 'number' || !Number.isFinite(item.score))) {
      out.skipped.push({ place, reason: `malformed prediction: score must be a number, found ${shown(item.score)}` });
    } else {
      const [start, end] = segment as [number, number];
      const row: LabelRow = { place, videoId, span: { kind: 'seconds', start, end }, label: label.trim() || null };
      if (noun === 'prediction') row.score = typeof item.score === 'number' ? item.score : null;
      out.rows.push(row);
    }
  });
}

/** ActivityNet detection results: `{"results": {id: [{"label", "score", "segment"}]}}`. */
function parseResults(doc: unknown, ctx: ParseContext): ParsedLabels {
  if (!isRecord(doc) || !('results' in doc)) {
    const hint = isRecord(doc) && 'database' in doc ? ' This is ground truth (“database”): import it with “vssl labels import”.' : '';
    throw new ApiError('UNSUPPORTED', `Not an ActivityNet results file: expected an object with “results” mapping video ids to predictions.${hint}`);
  }
  const results = doc.results;
  if (!isRecord(results)) {
    throw new ApiError('UNSUPPORTED', `Not an ActivityNet results file: “results” must map video ids to lists, found ${shown(results)}.`);
  }
  const out: Collected = { rows: [], skipped: [] };
  for (const [id, list] of Object.entries(results)) {
    const base = `results[${shown(id)}]`;
    if (!Array.isArray(list)) {
      out.skipped.push({ place: jsonPlace(base), reason: `malformed entry: expected a list of predictions, found ${shown(list)}` });
      continue;
    }
    if (list.length === 0) continue;
    const match = locate(ctx.videos, ctx.baseDir, id, {});
    if ('reason' in match) {
      out.skipped.push({ place: jsonPlace(base), reason: `${match.reason} (its ${plural(list.length, 'prediction')} skipped)` });
      continue;
    }
    readSegments(list, base, 'prediction', match.video.id, out);
  }
  return { ...out, notes: [] };
}

export const activitynetFormat: LabelFormatModule = {
  format: 'activitynet',

  parse(text, ctx): ParsedLabels {
    const doc = parseJsonDocument(text, NAME);
    if (ctx.read === 'predictions') return parseResults(doc, ctx);
    if (!isRecord(doc) || !('database' in doc)) {
      if (isRecord(doc) && 'results' in doc) {
        throw new ApiError(
          'UNSUPPORTED',
          'This is an ActivityNet predictions file (“results”), not ground truth (“database”): predictions are ' +
            'imported as pseudo-labels to review with “vssl predictions import DIR FILE --format activitynet”.',
        );
      }
      throw new ApiError('UNSUPPORTED', `Not an ${NAME} file: expected an object with a “database” of videos.`);
    }
    const database = doc.database;
    if (!isRecord(database)) {
      throw new ApiError('UNSUPPORTED', `Not an ${NAME} file: “database” must map video ids to entries, found ${shown(database)}.`);
    }
    const rows: LabelRow[] = [];
    const skipped: RowProblem[] = [];
    const mismatches: string[] = [];
    for (const [id, entry] of Object.entries(database)) {
      const base = `database[${shown(id)}]`;
      if (!isRecord(entry)) {
        skipped.push({ place: jsonPlace(base), reason: `malformed entry: expected an object, found ${shown(entry)}` });
        continue;
      }
      const annotations = entry.annotations ?? [];
      if (!Array.isArray(annotations)) {
        skipped.push({ place: jsonPlace(`${base}.annotations`), reason: `malformed entry: annotations must be a list, found ${shown(annotations)}` });
        continue;
      }
      if (annotations.length === 0) continue;
      const match = locate(ctx.videos, ctx.baseDir, id, entry);
      if ('reason' in match) {
        skipped.push({ place: jsonPlace(base), reason: `${match.reason} (its ${plural(annotations.length, 'annotation')} skipped)` });
        continue;
      }
      const mismatch = durationMismatch(match.video, numberFrom(entry.duration));
      if (mismatch) mismatches.push(mismatch);
      readSegments(annotations, `${base}.annotations`, 'annotation', match.video.id, { rows, skipped });
    }
    return { rows, skipped, notes: mismatchNote(mismatches) };
  },

  write(data) {
    const database: Record<string, unknown> = {};
    let rows = 0;
    let unlabelled = 0;
    for (const video of data.videos) {
      const stem = stemOf(video.row.path);
      let key = stem;
      for (let n = 2; key in database; n++) key = `${stem} (${n})`;
      const annotations = [];
      for (const clip of video.clips) {
        if (clip.className === null) {
          unlabelled++;
          continue;
        }
        annotations.push({ segment: [clip.startSec, clip.endSec], label: clip.className, frames: [clip.startFrame, clip.endFrame] });
      }
      rows += annotations.length;
      database[key] = {
        subset: 'training',
        duration: durationOf(video.timing),
        fps: video.timing.fps,
        frames: video.timing.frameCount,
        path: pathForFile(video.row.path, data.file).split(path.sep).join('/'),
        annotations,
      };
    }
    const doc = {
      version: 'VSSL Studio labels',
      vssl: {
        segment: "seconds from the video's first frame (video time), not the stream's presentation time",
        frames: '0-based frame indices [start, end), end exclusive',
      },
      database,
    };
    const notes =
      unlabelled > 0
        ? [`${plural(unlabelled, 'unlabelled segment')} not written: ActivityNet annotations need a label.`]
        : [];
    return { files: [{ path: data.file, text: `${JSON.stringify(doc, null, 2)}\n` }], rows, notes };
  },
};
