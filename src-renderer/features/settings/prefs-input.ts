import { MAX_CPU_THREADS } from '../../../src-main/shared/prefs.js';

/** The CPU threads field: a whole number 0–64 (0: one per core), or why not. */
export function parseThreads(text: string): { value?: number; error?: string } {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return { error: `CPU threads are a whole number from 0 to ${MAX_CPU_THREADS}.` };
  const value = Number(trimmed);
  if (value > MAX_CPU_THREADS) return { error: `At most ${MAX_CPU_THREADS} CPU threads.` };
  return { value };
}

/** The cache location field: blank keeps caches in the project folder; anything else must be absolute. */
export function parseCacheLocation(text: string): { value?: string | null; error?: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { value: null };
  if (!(trimmed.startsWith('/') || /^[A-Za-z]:[\\/]/.test(trimmed) || trimmed.startsWith('\\\\'))) {
    return { error: 'The cache location is an absolute path (or blank: in the project folder).' };
  }
  return { value: trimmed };
}
