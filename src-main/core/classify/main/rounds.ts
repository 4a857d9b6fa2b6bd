import type { RoundDto } from '../../../shared/review.js';
import { isTrainedRun } from '../../../shared/run-dto.js';
import type { RunRepository } from './run-repository.js';

/** Which round of the review loop a run is: 1 for a run started from scratch, its parent's + 1 after. */
export function roundOf(runs: RunRepository, runId: number): number {
  let round = 1;
  const seen = new Set<number>([runId]);
  let parent = runs.lineage(runId)?.parentRunId ?? null;
  while (parent !== null && !seen.has(parent)) {
    seen.add(parent);
    round++;
    parent = runs.lineage(parent)?.parentRunId ?? null;
  }
  return round;
}

/** Every trained classification run in creation order, as a round: labels spent and how well it did (imported runs are no round). */
export function listRounds(runs: RunRepository): RoundDto[] {
  return runs
    .list()
    .reverse()
    .filter(isTrainedRun)
    .map((run) => {
      const lineage = runs.lineage(run.id);
      return {
        runId: run.id,
        parentRunId: lineage?.parentRunId ?? null,
        warmStartRunId: lineage?.warmStartRunId ?? null,
        name: run.name,
        method: run.method,
        status: run.status,
        labels: run.dataset.train + run.dataset.validation,
        reviewLabels: lineage?.reviewLabels ?? 0,
        validationAccuracy: run.bestValidationAccuracy ?? run.last?.validationAccuracy ?? null,
        finishedAt: run.finishedAt,
      };
    });
}
