import type { RunDto } from '../../shared/run-dto.js';
import { roundOf } from '../classify/main/rounds.js';
import type { TrainingService } from '../classify/main/training-service.js';

const ROUND_SUFFIX = / · round \d+$/;

/**
 * The next round of the loop: a run with the same method and settings as `runId`, learning from
 * every label there is now (review labels included), named "<name> · round k".
 */
export async function retrain(training: TrainingService, runId: number, name?: string): Promise<RunDto> {
  const run = training.getTrained(runId);
  const round = roundOf(training.runs, runId) + 1;
  return training.start(run.settings, name ?? `${run.name.replace(ROUND_SUFFIX, '')} · round ${round}`, runId);
}
