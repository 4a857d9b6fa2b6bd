import type { ClipCache } from '../../clips/clip-cache.js';
import type { ClipRef } from '../../clips/clip-ref.js';
import type { PredictHost } from '../../jobs.js';
import { StepThrottle, STEP_MESSAGE_INTERVAL_MS } from '../../../engine/worker/step-throttle.js';

export interface DecodeFailure {
  clip: ClipRef;
  reason: string;
}

/** "3 clips cannot be decoded: a.mp4 …; b.mp4 …; and 1 more". */
export function describeFailures(failed: readonly DecodeFailure[], what: string): string {
  const shown = failed.slice(0, 3).map((f) => f.reason);
  const more = failed.length > shown.length ? `; and ${failed.length - shown.length} more` : '';
  return `${failed.length} ${what} ${failed.length === 1 ? 'clip' : 'clips'} cannot be decoded: ${shown.join('; ')}${more}`;
}

/** Decodes the clips not cached yet, posting throttled 'decode' progress; returns the ones that failed. */
export async function decodeClips(cache: ClipCache, clips: readonly ClipRef[], what: string, host: PredictHost): Promise<DecodeFailure[]> {
  if (clips.length === 0) return [];
  const throttle = new StepThrottle(STEP_MESSAGE_INTERVAL_MS);
  const progress = (done: number, total: number): void => {
    if (throttle.ready() || done === total) {
      host.post({ type: 'progress', phase: 'decode', done, total, message: `Decoding ${what} clips: ${done} of ${total}` });
    }
  };
  progress(0, clips.length);
  const { failed } = await cache.ensure(clips, { signal: host.signal, onProgress: progress });
  return failed;
}
