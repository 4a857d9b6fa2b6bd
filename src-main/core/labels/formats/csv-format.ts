/**
 * Our own CSV: `path,start,end,label[,not]`, one row per clip. `path` is absolute or relative to
 * the CSV file's folder; `start`/`end` are seconds of video time (from the video's first frame,
 * not the stream's presentation time); an empty label means the clip exists but is unlabelled.
 * The optional `not` column lists the classes ruled out for the clip (negative labels, "not
 * class c"), separated by `|`; an export writes it only when some clip has one.
 * Read as predictions, the file is our predictions csv: `path,start,end,label,confidence[,uncertainty]`.
 */
import { csvLine, formatSeconds, parseInterval } from './csv-text.js';
import { ignoredColumnsNote, pathForFile, readCsvTable } from './csv-table.js';
import { linePlace, type LabelFormatModule, type LabelRow, type ParsedLabels, type RowProblem } from './format-types.js';
import { MatchTally } from './video-index.js';

const COLUMNS = ['path', 'start', 'end', 'label'] as const;
const KNOWN = [...COLUMNS, 'not'] as const;
const PREDICTION_COLUMNS = [...COLUMNS, 'confidence'] as const;
const PREDICTION_KNOWN = [...PREDICTION_COLUMNS, 'uncertainty'] as const;
/** Separates class names in the `not` column. */
export const RULED_OUT_SEPARATOR = '|';

/** The class names of a `not` field: split at `|`, trimmed, empty names dropped. */
export function parseRuledOut(field: string): string[] {
  return field
    .split(RULED_OUT_SEPARATOR)
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

export const csvFormat: LabelFormatModule = {
  format: 'csv',

  parse(text, ctx): ParsedLabels {
    const predictions = ctx.read === 'predictions';
    const table = predictions
      ? readCsvTable(text, 'VSSL predictions CSV', PREDICTION_COLUMNS, PREDICTION_KNOWN)
      : readCsvTable(text, 'VSSL label CSV', COLUMNS, KNOWN);
    const notColumn = table.columns.get('not');
    const confidenceColumn = table.columns.get('confidence');
    const rows: LabelRow[] = [];
    const skipped: RowProblem[] = [...table.problems];
    const tally = new MatchTally();
    for (const record of table.records) {
      const place = linePlace(record.line);
      const field = (name: (typeof COLUMNS)[number]) => record.fields[table.columns.get(name)!] ?? '';
      const written = field('path').trim();
      const interval = parseInterval(field('start'), field('end'));
      const malformed = (reason: string) => skipped.push({ place, reason: `malformed row: ${reason}` });
      if (written === '') {
        malformed('path is empty');
        continue;
      }
      if ('reason' in interval) {
        malformed(interval.reason);
        continue;
      }
      const match = ctx.videos.matchPath(written, ctx.baseDir);
      if ('reason' in match) {
        skipped.push({ place, reason: match.reason });
        continue;
      }
      const label = field('label').trim();
      const row: LabelRow = { place, videoId: match.video.id, span: { kind: 'seconds', ...interval }, label: label || null };
      if (predictions) {
        const written = (record.fields[confidenceColumn!] ?? '').trim();
        const score = written === '' ? null : Number(written);
        if (score !== null && !Number.isFinite(score)) {
          malformed(`confidence “${written}” is not a number`);
          continue;
        }
        row.score = score;
      }
      tally.count(match);
      const ruledOut = notColumn === undefined ? [] : parseRuledOut(record.fields[notColumn] ?? '');
      if (ruledOut.length > 0) row.ruledOut = ruledOut;
      rows.push(row);
    }
    return { rows, skipped, notes: [...ignoredColumnsNote(table), ...tally.notes()] };
  },

  write(data) {
    // A name with the separator in it would read back as two classes: such negatives stay out.
    const writable = (name: string) => !name.includes(RULED_OUT_SEPARATOR);
    const withNegatives = data.videos.some((v) => v.clips.some((c) => c.ruledOut.length > 0));
    let unwritable = 0;
    const lines = [csvLine(withNegatives ? KNOWN : COLUMNS)];
    for (const video of data.videos) {
      const written = pathForFile(video.row.path, data.file);
      for (const clip of video.clips) {
        const fields = [written, formatSeconds(clip.startSec), formatSeconds(clip.endSec), clip.className ?? ''];
        if (withNegatives) {
          unwritable += clip.ruledOut.filter((name) => !writable(name)).length;
          fields.push(clip.ruledOut.filter(writable).join(RULED_OUT_SEPARATOR));
        }
        lines.push(csvLine(fields));
      }
    }
    const notes =
      unwritable > 0
        ? [
            `${unwritable} negative label${unwritable === 1 ? '' : 's'} not written: the class name contains ` +
              `“${RULED_OUT_SEPARATOR}”, which separates names in the not column.`,
          ]
        : [];
    return { files: [{ path: data.file, text: `${lines.join('\n')}\n` }], rows: lines.length - 1, notes };
  },
};
