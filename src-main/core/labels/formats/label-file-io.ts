import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/errors.js';
import type { WrittenFile } from './format-types.js';

/** Label files are text; anything this large is not one (and would not fit in memory as rows). */
const MAX_BYTES = 512 * 1024 * 1024;

function reasonOf(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return err instanceof Error ? err.message : String(err);
}

/** Reads a UTF-8 text file (a byte order mark is dropped), or says exactly why it cannot. */
export function readTextFile(file: string, what: string): string {
  let bytes: Buffer;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw new ApiError('IO_ERROR', `${file} is a folder, not a ${what}.`);
    if (stat.size > MAX_BYTES) {
      throw new ApiError('UNSUPPORTED', `The ${what} ${file} is ${Math.round(stat.size / 2 ** 20)} MB: too large for a ${what}.`);
    }
    bytes = fs.readFileSync(file);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if ((err as { code?: string }).code === 'ENOENT') throw new ApiError('NOT_FOUND', `The ${what} ${file} does not exist.`);
    throw new ApiError('IO_ERROR', `Cannot read the ${what} ${file}: ${reasonOf(err)}.`);
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ApiError('UNSUPPORTED', `The ${what} ${file} is UTF-16 text: save it as UTF-8 and try again.`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError('UNSUPPORTED', `The ${what} ${file} is not UTF-8 text (a binary file, or another encoding): save it as UTF-8.`);
  }
  if (text.includes('\0')) throw new ApiError('UNSUPPORTED', `The ${what} ${file} is a binary file, not text.`);
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** Writes each file whole or not at all: a temporary file renamed over the target. */
export function writeTextFiles(files: readonly WrittenFile[]): void {
  for (const file of files) {
    const tmp = path.join(path.dirname(file.path), `.${path.basename(file.path)}.${process.pid}.tmp`);
    try {
      fs.mkdirSync(path.dirname(file.path), { recursive: true });
      fs.writeFileSync(tmp, file.text);
      fs.renameSync(tmp, file.path);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      const code = (err as { code?: string }).code;
      const why = code === 'EISDIR' ? 'it is a folder' : reasonOf(err);
      throw new ApiError('IO_ERROR', `Cannot write ${file.path}: ${why}.`);
    }
  }
}
