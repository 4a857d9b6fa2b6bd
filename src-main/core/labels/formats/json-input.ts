import { ApiError } from '../../../shared/errors.js';
import { findJsonSyntaxError } from './json-syntax.js';

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Line and column (1-based) of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/** Parses a JSON file; text that is not JSON is refused with the line and column where it stops being JSON. */
export function parseJsonDocument(text: string, formatName: string): unknown {
  if (text.trim() === '') throw new ApiError('UNSUPPORTED', `Not a ${formatName} file: the file is empty.`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const syntax = findJsonSyntaxError(text);
    if (syntax) {
      const at = lineAndColumn(text, syntax.offset);
      throw new ApiError(
        'UNSUPPORTED',
        `Not a ${formatName} file: it is not valid JSON at line ${at.line}, column ${at.column} (${syntax.reason}).`,
      );
    }
    const message = err instanceof Error ? err.message : String(err);
    throw new ApiError('UNSUPPORTED', `Not a ${formatName} file: it could not be read as JSON (${message.slice(0, 200)}).`);
  }
}

/** A finite number, also from a numeric string (task data often carries "29.97"). */
export function numberFrom(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** JSON text of a value for messages, cut short. */
export function shown(value: unknown, max = 40): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
