import { SvelteMap } from 'svelte/reactivity';
import type { RunEvaluationDto } from '../../src-main/shared/run-evaluation.js';
import { api } from '../lib/api.js';

/** What the store needs of a run (a RunDto or a round of the loop). */
export interface EvaluatedRun {
  id: number;
  status: string;
  finishedAt: string | null;
}

/** What an evaluation was read for: a run's evaluation changes only when it finishes training again. */
function versionOf(run: EvaluatedRun): string {
  return `${run.status}:${run.finishedAt ?? ''}`;
}

/** The per-class evaluation of the runs on screen, read once per finished training and kept. */
class RunEvaluationsState {
  private readonly byId = new SvelteMap<number, { version: string; evaluation: RunEvaluationDto }>();
  readonly errors = new SvelteMap<number, string>();

  of(runId: number): RunEvaluationDto | undefined {
    return this.byId.get(runId)?.evaluation;
  }

  /** Reads the run's evaluation unless the one held is for the run as it is now. */
  async ensure(run: EvaluatedRun): Promise<void> {
    const version = versionOf(run);
    if (this.byId.get(run.id)?.version === version) return;
    try {
      const evaluation = await api.invoke('runs:evaluation', { id: run.id });
      this.byId.set(run.id, { version, evaluation });
      this.errors.delete(run.id);
    } catch (err) {
      this.errors.set(run.id, err instanceof Error ? err.message : String(err));
    }
  }

  clear(): void {
    this.byId.clear();
    this.errors.clear();
  }
}

export const runEvaluations = new RunEvaluationsState();
