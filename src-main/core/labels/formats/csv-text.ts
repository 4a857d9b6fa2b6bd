/**
 * RFC 4180 comma-separated values: fields with a comma, a double quote or a line break are
 * quoted, and a quote inside a quoted field is doubled. Reading also accepts LF and lone CR
 * line breaks and, like Python's csv module, a quote in the middle of an unquoted field as a
 * plain character.
 */

export interface CsvRecord {
  /** 1-based line where the record starts (a quoted field may span several lines). */
  line: number;
  fields: string[];
}

export interface CsvProblem {
  line: number;
  reason: string;
}

export interface CsvText {
  records: CsvRecord[];
  problems: CsvProblem[];
}

/** Splits CSV text into records; a record it cannot read is a problem, never an exception. */
export function readCsv(text: string): CsvText {
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false; // inside a quoted field
  let wasQuoted = false; // the current field was a quoted one (now closed)
  let broken: string | null = null; // why the current record cannot be used
  let i = 0;

  const endRecord = () => {
    fields.push(field);
    const blank = fields.length === 1 && fields[0]!.trim() === '' && !wasQuoted;
    if (broken !== null) problems.push({ line: recordLine, reason: broken });
    else if (!blank) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    wasQuoted = false;
    broken = null;
  };

  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        wasQuoted = true;
        i++;
        continue;
      }
      if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
      field += ch;
      i++;
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
      wasQuoted = false;
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    if (ch === '"' && field === '' && !wasQuoted) {
      quoted = true;
      i++;
      continue;
    }
    if (wasQuoted && (ch === ' ' || ch === '\t')) {
      i++; // spaces after a closing quote mean nothing
      continue;
    }
    if (wasQuoted && broken === null) {
      broken = `unexpected text after a closing quote (field ${fields.length + 1}): a quote inside a quoted field is written ""`;
    }
    field += ch;
    i++;
  }
  if (quoted) {
    const lastLine = line;
    problems.push({
      line: recordLine,
      reason:
        lastLine > recordLine
          ? `a quoted field opened on this line never closes, so lines ${recordLine}–${lastLine} could not be read`
          : 'a quoted field opened on this line never closes',
    });
  } else if (field !== '' || fields.length > 0 || wasQuoted) {
    endRecord();
  }
  return { records, problems };
}

/** One field, quoted when it has to be. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(values: readonly string[]): string {
  return values.map(csvField).join(',');
}

/** Header names → column index, matched case-insensitively with surrounding spaces ignored. */
export function headerColumns(header: readonly string[]): Map<string, number> {
  const columns = new Map<string, number>();
  header.forEach((name, index) => {
    const key = name.trim().toLowerCase();
    if (!columns.has(key)) columns.set(key, index);
  });
  return columns;
}

/** A number in a text field: finite, or a reason it is not one. */
export function parseNumber(text: string | undefined, what: string): number | { reason: string } {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return { reason: `${what} is empty` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { reason: `${what} “${shorten(trimmed)}” is not a number` };
  return value;
}

/** Start and end of an interval from two text fields, or why they are not numbers. */
export function parseInterval(
  startText: string | undefined,
  endText: string | undefined,
  names: readonly [string, string] = ['start', 'end'],
): { start: number; end: number } | { reason: string } {
  const start = parseNumber(startText, names[0]);
  if (typeof start !== 'number') return start;
  const end = parseNumber(endText, names[1]);
  if (typeof end !== 'number') return end;
  return { start, end };
}

/** Seconds written short but exact to the microsecond: enough to land on the same frame. */
export function formatSeconds(seconds: number): string {
  const rounded = Number(seconds.toFixed(6));
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/** Cuts long quoted input in messages. */
export function shorten(text: string, max = 60): string {
  const oneLine = text.replace(/[\r\n\t]+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
