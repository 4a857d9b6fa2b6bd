import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LicenceNotices } from '../../shared/dto.js';
import { ApiError } from '../../shared/errors.js';

/** The notice shown first: the GPL programs the app ships. */
export const FFMPEG_NOTICE = 'FFMPEG.txt';

/**
 * The LICENSES folder: beside the packaged app's resources (electron-builder's extraResources put it
 * there), else resources/LICENSES of this checkout, found by walking up to the package root.
 */
export function licencesFolder(resourcesPath = (process as { resourcesPath?: string }).resourcesPath): string | null {
  const candidates: string[] = [];
  if (resourcesPath) candidates.push(path.join(resourcesPath, 'LICENSES'));
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    candidates.push(path.join(dir, 'resources', 'LICENSES'));
    dir = path.dirname(dir);
  }
  return candidates.find((folder) => fs.existsSync(path.join(folder, FFMPEG_NOTICE))) ?? null;
}

/** Every notice in the folder, the ffmpeg one first, each titled by its first line. */
export function readLicenceNotices(folder = licencesFolder()): LicenceNotices {
  if (!folder) {
    throw new ApiError(
      'NOT_FOUND',
      'The LICENSES folder is missing from this installation: reinstall VSSL Studio, or see resources/LICENSES in its source.',
    );
  }
  const files = fs
    .readdirSync(folder)
    .filter((name) => name.endsWith('.txt'))
    .sort((a, b) => Number(b === FFMPEG_NOTICE) - Number(a === FFMPEG_NOTICE) || a.localeCompare(b));
  return {
    folder,
    notices: files.map((file) => {
      const text = fs.readFileSync(path.join(folder, file), 'utf8');
      const title = text.split('\n').find((line) => line.trim() !== '')?.trim() ?? file;
      return { file, title, text };
    }),
  };
}
