import { ApiError } from '../../shared/errors.js';

/**
 * Why one file could not be imported or converted, in words shown to the person as is
 * ("file not found", "no video stream", …). Anything else thrown during an import is a bug
 * or an environment problem, not a property of the file.
 */
export class MediaFailure extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'MediaFailure';
  }
}

/** Maps a Node file-system error to the per-file reason shown in the Library. */
export function fileErrorReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'not a regular file (it is a folder)';
    case 'EIO':
      return 'the disk reported a read error (EIO)';
    default:
      return `could not read the file: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * The per-file reason for an error thrown while handling one file. Errors that concern the whole
 * job rather than this file (cancel, ffmpeg missing) are thrown on, so the job stops.
 */
export function reasonOrRethrow(err: unknown): string {
  if (err instanceof MediaFailure) return err.reason;
  if (err instanceof ApiError) throw err;
  if (err instanceof Error && err.name === 'AbortError') throw err;
  return `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
}
