import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FsEntry, FsListing } from '../../shared/dto.js';
import { ApiError, capText } from '../../shared/errors.js';
import { isVideoFileName } from '../media/video-extensions.js';

/**
 * Lists a folder on the machine the core runs on, for web mode's "choose a folder" browser
 * (a browser page cannot see server-side paths any other way).
 */
export function listDirectory(input: string | undefined): FsListing {
  if (input !== undefined && !path.isAbsolute(input)) {
    // Resolving it would list a folder of the server's working directory, which the caller never chose.
    throw new ApiError('INVALID_PARAMS', `fs:list needs an absolute path, not ${JSON.stringify(capText(input))}.`);
  }
  const dir = path.resolve(input ?? os.homedir());
  let dirents: fs.Dirent[];
  try {
    dirents = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ApiError('NOT_FOUND', `The folder ${dir} does not exist.`);
    if (code === 'ENOTDIR') throw new ApiError('INVALID_PARAMS', `${dir} is a file, not a folder.`);
    throw new ApiError('IO_ERROR', `Cannot read the folder ${dir}: ${(err as Error).message}`);
  }
  const entries: FsEntry[] = [];
  for (const dirent of dirents) {
    if (dirent.name.startsWith('.')) continue;
    const full = path.join(dir, dirent.name);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      continue; // a dangling link or a file we may not read: not worth showing
    }
    const kind = stat.isDirectory() ? 'dir' : 'file';
    entries.push({
      name: dirent.name,
      path: full,
      kind,
      size: kind === 'file' ? stat.size : null,
      isVideo: kind === 'file' && isVideoFileName(dirent.name),
    });
  }
  entries.sort((a, b) =>
    a.kind === b.kind ? a.name.localeCompare(b.name, undefined, { numeric: true }) : a.kind === 'dir' ? -1 : 1,
  );
  const parent = path.dirname(dir);
  return { path: dir, parent: parent === dir ? null : parent, entries };
}
