import { z } from 'zod';

/** "/x" (POSIX), "C:\x" or "C:/x" (Windows), "\\server\share" (UNC): never relative to whoever serves the API. */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** A path the API reads or writes: absolute, so a request never lands in the server's working folder. */
export const absolutePath = z
  .string()
  .min(1, 'A path is required.')
  .max(4096, 'That path is too long.')
  .refine((p) => !p.includes('\0'), 'A path may not contain NUL characters.')
  .refine(isAbsolutePath, 'The path must be absolute (/… or C:\\…).');
