/**
 * Web mode's file transfers, outside the JSON API because their bodies are files: exports the
 * browser downloads (POST /export/<method>, GET /download/<id>/<name>) and label files it
 * uploads (POST /upload/<name>). The desktop app writes and reads local paths instead.
 */
import { z } from 'zod';
import type { MethodName, ParamsOf, ResultOf } from './contract.js';

/** Each export method and the param that names where it writes (a file, or a folder for a model). */
export const downloadableExports = {
  'labels:export': 'file',
  'predictions:export': 'file',
  'anomaly:marks:export': 'file',
  'anomaly:export': 'file',
  'models:export': 'dir',
  'anomaly:model:export': 'dir',
} as const satisfies Partial<Record<MethodName, string>>;

export type DownloadableExport = keyof typeof downloadableExports;

export function isDownloadableExport(value: string): value is DownloadableExport {
  return Object.hasOwn(downloadableExports, value);
}

/** The export's params without its target path (the server picks that) and without other paths. */
export type DownloadExportParams<M extends DownloadableExport> = Omit<
  ParamsOf<M>,
  (typeof downloadableExports)[M] | 'classesFile'
>;

/** A file name typed by a person: no folders, no hidden files. */
export const downloadName = z
  .string()
  .trim()
  .min(1, 'A file name is required.')
  .max(200, 'That file name is too long.')
  .refine((name) => !/[/\\\0]/.test(name) && !name.startsWith('.'), 'A file name may not contain / or \\ or start with a dot.');

export interface DownloadFileDto {
  /** Relative to the export (`model/weights.bin` for a file in a model folder). */
  name: string;
  size: number;
  /** Relative to the page, so it works under a proxy's path prefix too. */
  url: string;
}

export interface DownloadDto {
  id: string;
  files: DownloadFileDto[];
}

export interface DownloadExportResult<M extends DownloadableExport> {
  report: ResultOf<M>;
  download: DownloadDto;
}

export interface UploadResult {
  /** Where the server put the file: give it to labels:import as `file`. */
  file: string;
  size: number;
}

/** Label files are text: this is far beyond any real one, and keeps a stray video out. */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
