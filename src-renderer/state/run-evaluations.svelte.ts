import { SvelteMap } from 'svelte/reactivity';
import type { RunEvaluationDto } from '../../src-main/shared/run-evaluation.js';
import { api } from '../lib/api.js';
import { project } from './project.svelte.js';

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

/** Run ids start at 1 in every project: entries are kept per project. */
function keyOf(runId: number): string {
  return `${project.path ?? ''}#${runId}`;
}

/** The per-class evaluation of the runs on screen, read once per finished training and kept. */
class RunEvaluationsState {
  private readonly byKey = new SvelteMap<string, { version: string; evaluation: RunEvaluationDto }>();
  private readonly errors = new SvelteMap<string, string>();

  of(runId: number): RunEvaluationDto | undefined {
    return this.byKey.get(keyOf(runId))?.evaluation;
  }

  errorOf(runId: number): string | undefined {
    return this.errors.get(keyOf(runId));
  }

  /** Reads the run's evaluation unless the one held is for the run as it is now. */
  async ensure(run: EvaluatedRun): Promise<void> {
    const version = versionOf(run);
    const key = keyOf(run.id);
    if (this.byKey.get(key)?.version === version) return;
    try {
      const evaluation = await api.invoke('runs:evaluation', { id: run.id });
      this.byKey.set(key, { version, evaluation });
      this.errors.delete(key);
    } catch (err) {
      this.errors.set(key, err instanceof Error ? err.message : String(err));
    }
  }
}

export const runEvaluations = new RunEvaluationsState();
