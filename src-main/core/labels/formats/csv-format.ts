/**
 * Our own CSV: `path,start,end,label`, one row per clip. `path` is absolute or relative to the
 * CSV file's folder; `start`/`end` are seconds of video time (from the video's first frame, not
 * the stream's presentation time); an empty label means the clip exists but is unlabelled.
 */
import { csvLine, formatSeconds, parseInterval } from './csv-text.js';
import { ignoredColumnsNote, pathForFile, readCsvTable } from './csv-table.js';
import { linePlace, type LabelFormatModule, type LabelRow, type ParsedLabels, type RowProblem } from './format-types.js';
import { MatchTally } from './video-index.js';

const COLUMNS = ['path', 'start', 'end', 'label'] as const;

export const csvFormat: LabelFormatModule = {
  format: 'csv',

  parse(text, ctx): ParsedLabels {
    const table = readCsvTable(text, 'VSSL label CSV', COLUMNS, COLUMNS);
    const col = (name: (typeof COLUMNS)[number]) => table.columns.get(name)!;
    const rows: LabelRow[] = [];
    const skipped: RowProblem[] = [...table.problems];
    const tally = new MatchTally();
    for (const record of table.records) {
      const place = linePlace(record.line);
      const field = (name: (typeof COLUMNS)[number]) => record.fields[col(name)] ?? '';
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
      tally.count(match);
      rows.push({ place, videoId: match.video.id, span: { kind: 'seconds', ...interval }, label: label || null });
    }
    return { rows, skipped, notes: [...ignoredColumnsNote(table), ...tally.notes()] };
  },

  write(data) {
    const lines = [csvLine(COLUMNS)];
    for (const video of data.videos) {
      const written = pathForFile(video.row.path, data.file);
      for (const clip of video.clips) {
        lines.push(csvLine([written, formatSeconds(clip.startSec), formatSeconds(clip.endSec), clip.className ?? '']));
      }
    }
    return { files: [{ path: data.file, text: `${lines.join('\n')}\n` }], rows: lines.length - 1, notes: [] };
  },
};
