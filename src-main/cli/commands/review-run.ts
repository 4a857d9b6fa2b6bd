import type { Core } from '../../core/core.js';
import { acquisitionStrategies, type AcquisitionStrategy, type ReviewSession } from '../../shared/review.js';
import type { RunDto } from '../../shared/run-dto.js';
import { UsageError } from '../usage.js';

export function strategyOf(value: unknown, command: string): AcquisitionStrategy | undefined {
  if (value === undefined) return undefined;
  const strategy = acquisitionStrategies.find((s) => s === value);
  if (!strategy) {
    throw new UsageError(
      `${command}: unknown strategy ${JSON.stringify(value)} (one of ${acquisitionStrategies.join(', ')}).`,
    );
  }
  return strategy;
}

/**
 * The run to review: the one asked for, or the one the review session is on (where the app
 * left it; in a new project the latest finished run with predictions). It must have finished
 * and predicted.
 */
export async function reviewRun(core: Core, runId: number | undefined): Promise<{ run: RunDto; session: ReviewSession }> {
  const session = await core.call('review:session:get', {});
  const runs = await core.call('runs:list', {});
  const id = runId ?? session.runId;
  if (id === null) {
    throw new Error('no finished run with predictions in this project: train one with "vssl train" first.');
  }
  const run = runs.find((r) => r.id === id);
  if (!run) throw new Error(`there is no run ${id} in this project.`);
  if (run.status !== 'succeeded') throw new Error(`run ${id} has not finished (it is ${run.status}): nothing to review yet.`);
  if (run.predictions === 0) {
    throw new Error(`run ${id} has no predictions: predict with "vssl predict DIR --run ${id}" first.`);
  }
  return { run, session };
}
