import type { Core } from '../core/core.js';

/** Ctrl+C cancels the job (the core cleans up after it); a second Ctrl+C quits at once. */
export function cancelOnInterrupt(core: Core, jobId: number, what: string): () => void {
  let asked = false;
  const onSignal = () => {
    if (asked) process.exit(130);
    asked = true;
    process.stderr.write(`\nCancelling the ${what} (Ctrl+C again to quit at once)…\n`);
    core.call('jobs:cancel', { id: jobId }).catch(() => {});
  };
  process.on('SIGINT', onSignal);
  return () => process.off('SIGINT', onSignal);
}
