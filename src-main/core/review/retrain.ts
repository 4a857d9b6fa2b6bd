import type { RunDto } from '../../shared/run-dto.js';
import type { TrainingMethod } from '../../shared/training.js';
import { roundOf } from '../classify/main/rounds.js';
import type { TrainingService } from '../classify/main/training-service.js';

const ROUND_SUFFIX = / · round \d+$/;

export interface RetrainOptions {
  name?: string;
  /** Another method for this round (default: the run's own); the other settings stay. */
  method?: TrainingMethod;
  /**
   * Start from the run's trained weights: absent, when they fit (same model and classes), else from
   * fresh weights; true, refuse when they do not fit; false, always from fresh weights.
   */
  warmStart?: boolean;
}

/**
 * The next round of the loop: a run with the same method and settings as `runId`, learning from
 * every label there is now (review labels included), starting from `runId`'s weights, named "<name> · round k".
 */
export async function retrain(training: TrainingService, runId: number, options: RetrainOptions = {}): Promise<RunDto> {
  const run = training.getTrained(runId);
  const round = roundOf(training.runs, runId) + 1;
  const settings = options.method === undefined ? run.settings : { ...run.settings, method: options.method };
  const name = options.name ?? `${run.name.replace(ROUND_SUFFIX, '')} · round ${round}`;
  return training.start(settings, name, {
    parentRunId: runId,
    ...(options.warmStart === false ? {} : { warmStartRunId: runId, warmStartIfFits: options.warmStart === undefined }),
  });
}
