import type { Core } from '../../core/core.js';
import type { AnomalyRunDto } from '../../shared/anomaly.js';
import { UsageError } from '../usage.js';

/** What a command needs of the run it works with. */
export type RunNeed = 'model' | 'scores';

export function anomalyRunIdOf(value: unknown, command: string): number | undefined {
  if (value === undefined) return undefined;
  const id = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(id) || id <= 0) {
    throw new UsageError(`${command}: --run takes an anomaly run id, not ${JSON.stringify(value)}.`);
  }
  return id;
}

/**
 * The run asked for, or the newest run that has what the command needs: a trained model to score
 * with, or stored scores to export and evaluate.
 */
export async function anomalyRunFor(core: Core, runId: number | undefined, need: RunNeed): Promise<AnomalyRunDto> {
  const runs = await core.call('anomaly:runs', {});
  if (runId !== undefined) {
    const run = runs.find((r) => r.id === runId);
    if (!run) throw new Error(`there is no anomaly run ${runId} in this project (see "vssl anomaly runs").`);
    if (need === 'model' && !run.hasModel) throw new Error(`anomaly run ${runId} has no trained model (it is ${run.status}).`);
    if (need === 'scores' && run.scoredVideos === 0) {
      throw new Error(`anomaly run ${runId} has scored no video yet: score some with "vssl anomaly score DIR PATH... --run ${runId}".`);
    }
    return run;
  }
  const candidates = runs.filter((r) => (need === 'model' ? r.hasModel : r.scoredVideos > 0));
  const newest = candidates.reduce<AnomalyRunDto | null>((best, r) => (best === null || r.id > best.id ? r : best), null);
  if (newest) return newest;
  throw new Error(
    need === 'model'
      ? 'no anomaly run in this project has a trained model yet: train one with "vssl anomaly train" first.'
      : 'no anomaly run in this project has scored a video yet: score some with "vssl anomaly score" first.',
  );
}
