import path from 'node:path';
import { ApiError } from '../../../shared/errors.js';
import { headerColumns, readCsv, shorten, type CsvRecord } from './csv-text.js';
import { linePlace, type RowProblem } from './format-types.js';

export interface CsvTable {
  /** Lower-cased header name → column index. */
  columns: Map<string, number>;
  records: CsvRecord[];
  problems: RowProblem[];
  /** Header names that the format does not use. */
  ignored: string[];
}

/**
 * A CSV file whose first record is a header naming at least `required` columns. A file without
 * such a header is not this format at all (ApiError); a row with the wrong number of fields is
 * a problem of that row.
 */
export function readCsvTable(
  text: string,
  formatName: string,
  required: readonly string[],
  known: readonly string[],
): CsvTable {
  const { records, problems } = readCsv(text);
  const [header, ...rows] = records;
  const expected = required.join(',');
  if (!header) {
    throw new ApiError('UNSUPPORTED', `Not a ${formatName} file: it has no header line (expected ${expected}).`);
  }
  const headerProblem = problems.find((p) => p.line <= header.line);
  const columns = headerColumns(header.fields);
  const missing = required.filter((name) => !columns.has(name));
  if (headerProblem || missing.length > 0) {
    throw new ApiError(
      'UNSUPPORTED',
      `Not a ${formatName} file: the first line must be the header ${expected}` +
        ` (line ${header.line} is “${shorten(header.fields.join(','))}”).`,
    );
  }
  const width = header.fields.length;
  const names = header.fields.map((f) => f.trim());
  const table: CsvTable = {
    columns,
    records: [],
    problems: problems.map((p) => ({ place: linePlace(p.line), reason: `malformed row: ${p.reason}` })),
    ignored: names.filter((name) => !known.includes(name.toLowerCase())),
  };
  for (const record of rows) {
    if (record.fields.length !== width) {
      const hint = record.fields.length > width ? ' (quote fields that contain commas)' : '';
      table.problems.push({
        place: linePlace(record.line),
        reason: `malformed row: expected ${width} fields (${names.join(',')}), found ${record.fields.length}${hint}`,
      });
    } else {
      table.records.push(record);
    }
  }
  return table;
}

export function ignoredColumnsNote(table: CsvTable): string[] {
  if (table.ignored.length === 0) return [];
  return [`Ignored column${table.ignored.length === 1 ? '' : 's'} ${table.ignored.map((c) => `“${c}”`).join(', ')}.`];
}

/** A video's path as a label file should name it: relative to the file's folder when below it. */
export function pathForFile(videoPath: string, file: string): string {
  const relative = path.relative(path.dirname(file), videoPath);
  if (relative && relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative)) return relative;
  return videoPath;
}
