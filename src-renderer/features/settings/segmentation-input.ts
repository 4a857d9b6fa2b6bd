/** Checks the seconds a person types for the clip segmentation (the API takes 0 < s ≤ 3600). */
export const MAX_SEGMENT_SEC = 3600;

export function parseSeconds(text: string, what: string): { value?: number; error?: string } {
  const trimmed = text.trim();
  if (!trimmed) return { error: `The ${what} is required.` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { error: `The ${what} must be a number of seconds, not "${trimmed}".` };
  if (value <= 0) return { error: `The ${what} must be above 0 seconds.` };
  if (value > MAX_SEGMENT_SEC) return { error: `The ${what} must be at most ${MAX_SEGMENT_SEC} seconds.` };
  return { value };
}
