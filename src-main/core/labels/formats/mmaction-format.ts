/**
 * MMAction2 video list: one `rel/path.mp4 label_index` line per video, paths relative to the
 * list's folder, and a classes file with one class name per line (line 1 is index 0). A list
 * labels whole videos, so each line becomes a label on a segment covering its whole video, and
 * only such whole-video labels are exported.
 */
import { ApiError } from '../../../shared/errors.js';
import { shorten } from './csv-text.js';
import { pathForFile } from './csv-table.js';
import { linePlace, type LabelFormatModule, type LabelRow, type ParsedLabels, type RowProblem } from './format-types.js';
import { MatchTally } from './video-index.js';

const VIDEO_EXTENSION = /\.(mp4|m4v|mov|avi|mkv|webm|mpe?g|wmv|flv|ogv|3gp|ts|mts|m2ts)$/i;

/** The lines of a text file with their 1-based numbers, line breaks of any kind. */
export function textLines(text: string): { line: number; text: string }[] {
  return text.split(/\r\n|\r|\n/).map((t, i) => ({ line: i + 1, text: t }));
}

/** Class names by index from a classes file: one name per line; trailing empty lines are not classes. */
export function parseClassNames(text: string): string[] {
  const names = textLines(text).map((l) => l.text.trim());
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  return names;
}

function isIndex(token: string): boolean {
  return /^\d+$/.test(token);
}

export const mmactionFormat: LabelFormatModule = {
  format: 'mmaction',

  parse(text, ctx): ParsedLabels {
    const classNames = ctx.classNames ?? [];
    const lines = textLines(text).filter((l) => l.text.trim() !== '');
    const rows: LabelRow[] = [];
    const skipped: RowProblem[] = [];
    const tally = new MatchTally();
    let wellFormed = 0;
    let rawframes = 0;
    for (const { line, text: raw } of lines) {
      const place = linePlace(line);
      const trimmed = raw.trim();
      const cut = trimmed.search(/\s+\S+$/);
      if (cut < 0) {
        skipped.push({ place, reason: `malformed row: expected “path label_index”, found “${shorten(trimmed)}”` });
        continue;
      }
      const written = trimmed.slice(0, cut).trim();
      const indexText = trimmed.slice(cut).trim();
      if (!isIndex(indexText)) {
        skipped.push({ place, reason: `malformed row: the label index “${shorten(indexText)}” is not a whole number ≥ 0` });
        continue;
      }
      wellFormed++;
      const tokens = trimmed.split(/\s+/);
      if (tokens.length === 3 && isIndex(tokens[1]!) && !VIDEO_EXTENSION.test(tokens[0]!)) rawframes++;
      const index = Number(indexText);
      const match = ctx.videos.matchPath(written, ctx.baseDir);
      if ('reason' in match) {
        // `path 3 7` is a multi-label line, not a path with a space in it, when `path` is a video.
        const first = tokens[0]!;
        const multi = tokens.length > 2 && tokens.slice(1).every(isIndex) && 'video' in ctx.videos.matchPath(first, ctx.baseDir);
        skipped.push({
          place,
          reason: multi ? 'several label indices on one line (a multi-label list): a clip carries one class' : match.reason,
        });
        continue;
      }
      const name = classNames[index];
      if (name === undefined) {
        const known = classNames.length === 0 ? 'no classes' : `${classNames.length} classes, 0–${classNames.length - 1}`;
        skipped.push({ place, reason: `label index ${index} has no class (the classes file names ${known})` });
        continue;
      }
      if (name === '') {
        skipped.push({ place, reason: `label index ${index} names no class (line ${index + 1} of the classes file is blank)` });
        continue;
      }
      tally.count(match);
      rows.push({ place, videoId: match.video.id, span: { kind: 'whole' }, label: name });
    }
    if (lines.length > 0 && wellFormed === 0) {
      throw new ApiError(
        'UNSUPPORTED',
        `Not an MMAction video list: no line has the form “path label_index” (line ${lines[0]!.line} is “${shorten(lines[0]!.text.trim())}”).`,
      );
    }
    if (wellFormed > 0 && rawframes === wellFormed) {
      throw new ApiError(
        'UNSUPPORTED',
        'This looks like an MMAction rawframes list (“frame_dir total_frames label”); import a video list (“path label_index”).',
      );
    }
    return { rows, skipped, notes: tally.notes() };
  },

  write(data) {
    const classesFile = data.classesFile;
    if (!classesFile) throw new ApiError('INVALID_PARAMS', 'An MMAction export needs a classes file to write.');
    const indexOf = new Map(data.classNames.map((name, i) => [name, i]));
    const lines: string[] = [];
    let partial = 0;
    let spaced = 0;
    for (const video of data.videos) {
      const written = pathForFile(video.row.path, data.file);
      for (const clip of video.clips) {
        if (clip.className === null) continue;
        if (clip.startFrame !== 0 || clip.endFrame !== video.timing.frameCount) {
          partial++;
          continue;
        }
        if (/\s/.test(written)) spaced++;
        lines.push(`${written} ${indexOf.get(clip.className)}`);
      }
    }
    const notes: string[] = [];
    if (partial > 0) {
      notes.push(
        `${partial} labelled clip${partial === 1 ? '' : 's'} not written: an MMAction video list labels whole videos, ` +
          'and these cover part of their video.',
      );
    }
    if (spaced > 0) {
      notes.push(`${spaced} path${spaced === 1 ? ' has' : 's have'} spaces, which MMAction's own list reader does not accept.`);
    }
    const classesText = data.classNames.map((name) => `${name.replace(/[\r\n]+/g, ' ')}\n`).join('');
    return {
      files: [
        { path: data.file, text: lines.length ? `${lines.join('\n')}\n` : '' },
        { path: classesFile, text: classesText },
      ],
      rows: lines.length,
      notes,
    };
  },
};
