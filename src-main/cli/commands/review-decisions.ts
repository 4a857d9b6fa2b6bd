/**
 * A file of review decisions: CSV `path,start,end,action[,label]`, one row per predicted clip.
 * `path` is absolute or relative to the file's folder (or a file name that only one video of
 * the project has); `start`/`end` are seconds of video time, matched to a clip of the run's
 * predictions within half a frame; action is accept, correct or reject; label is the right class
 * for correct (required) and the class ruled out for reject (default: the predicted one).
 */
import path from 'node:path';
import { ignoredColumnsNote, readCsvTable } from '../../core/labels/formats/csv-table.js';
import { parseInterval, shorten } from '../../core/labels/formats/csv-text.js';
import type { ClassDto, VideoDto } from '../../shared/dto.js';
import type { ReviewAction } from '../../shared/review.js';
import type { PredictionDto } from '../../shared/run-dto.js';

export type DecisionAction = Exclude<ReviewAction, 'skip'>;
const ACTIONS: readonly DecisionAction[] = ['accept', 'correct', 'reject'];
const REQUIRED = ['path', 'start', 'end', 'action'] as const;
const KNOWN = [...REQUIRED, 'label'] as const;

/** A row as written: where it is and what it says, before it is matched to a clip. */
export interface DecisionRow {
  line: number;
  path: string;
  start: number;
  end: number;
  action: DecisionAction;
  label: string | null;
}

export interface RowProblem {
  line: number;
  reason: string;
}

/** Reads the rows; a file without the header is not a decisions file at all (ApiError). */
export function parseDecisions(text: string): { rows: DecisionRow[]; problems: RowProblem[]; notes: string[] } {
  const table = readCsvTable(text, 'review decisions CSV', REQUIRED, KNOWN);
  const rows: DecisionRow[] = [];
  const problems: RowProblem[] = table.problems.map((p) => ({ line: p.place.line ?? 0, reason: p.reason }));
  for (const record of table.records) {
    const field = (name: (typeof KNOWN)[number]) => {
      const index = table.columns.get(name);
      return index === undefined ? '' : (record.fields[index] ?? '').trim();
    };
    const malformed = (reason: string) => problems.push({ line: record.line, reason: `malformed row: ${reason}` });
    const written = field('path');
    if (written === '') {
      malformed('path is empty');
      continue;
    }
    const interval = parseInterval(field('start'), field('end'));
    if ('reason' in interval) {
      malformed(interval.reason);
      continue;
    }
    const actionText = field('action').toLowerCase();
    const action = ACTIONS.find((a) => a === actionText);
    if (!action) {
      malformed(`action “${shorten(field('action'))}” is not one of ${ACTIONS.join(', ')}`);
      continue;
    }
    const label = field('label');
    if (action === 'correct' && label === '') {
      malformed('correct needs a label: the right class');
      continue;
    }
    rows.push({ line: record.line, path: written, ...interval, action, label: label || null });
  }
  problems.sort((a, b) => a.line - b.line);
  return { rows, problems, notes: ignoredColumnsNote(table) };
}

/** The project's video a row names: by path (relative to the file's folder), else by a file name only one video has. */
export function videoFor(written: string, baseDir: string, videos: readonly VideoDto[]): VideoDto | { reason: string } {
  const resolved = path.resolve(baseDir, written);
  const byPath = videos.find((v) => path.normalize(v.path) === resolved);
  if (byPath) return byPath;
  const name = path.basename(written);
  const byName = videos.filter((v) => path.basename(v.path) === name);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    return { reason: `video “${shorten(written)}” is ambiguous: ${byName.length} videos of the project are named ${name}` };
  }
  return { reason: `unknown video “${shorten(written)}”: no video in the project has this path or file name` };
}

function seconds(t: number): string {
  return `${Number(t.toFixed(3))} s`;
}

/** The prediction of a clip whose start and end are each within half a frame of the row's. */
export function predictionAt(row: DecisionRow, predictions: readonly PredictionDto[]): PredictionDto | null {
  let best: PredictionDto | null = null;
  let bestOff = Infinity;
  for (const p of predictions) {
    const halfFrame = (p.endSec - p.startSec) / Math.max(1, p.endFrame - p.startFrame) / 2;
    const off = Math.max(Math.abs(p.startSec - row.start), Math.abs(p.endSec - row.end));
    if (off <= halfFrame + 1e-9 && off < bestOff) {
      best = p;
      bestOff = off;
    }
  }
  return best;
}

export function noPredictionReason(row: DecisionRow, video: VideoDto, runId: number): string {
  return `no clip of ${video.name} from ${seconds(row.start)} to ${seconds(row.end)} (within half a frame) has a prediction of run ${runId}`;
}

/** The class a row names, by name (any case), or why it names none. */
export function classNamed(name: string, classes: readonly ClassDto[]): ClassDto | { reason: string } {
  const wanted = name.trim().toLowerCase();
  const found = classes.find((c) => c.name.toLowerCase() === wanted);
  return found ?? { reason: `unknown class “${shorten(name)}”` };
}
