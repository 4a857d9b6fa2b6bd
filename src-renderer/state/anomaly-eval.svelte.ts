import type { AnomalyEvalDto, AnomalyMarkImportReport } from '../../src-main/shared/anomaly.js';
import { errorMessage } from '../lib/format.js';
import { api } from '../lib/api.js';
import { CoalescingTimer } from '../lib/coalescing-timer.js';

/** Marks arrive in bursts (an import, quick key presses): evaluate again at most this often. */
const REFRESH_DELAY_MS = 400;

/** The AUC of the run shown against the project's marks, kept current as marks and scores change. */
class AnomalyEvalState {
  runId = $state<number | null>(null);
  result = $state.raw<AnomalyEvalDto | null>(null);
  /** Why there is no result (the core's message), or null. */
  problem = $state<string | null>(null);
  loading = $state(false);

  private readonly refreshTimer = new CoalescingTimer(REFRESH_DELAY_MS, () => void this.evaluate());
  private generation = 0;

  connect(isProjectOpen: () => boolean): () => void {
    const later = () => {
      if (isProjectOpen() && this.runId !== null) this.schedule();
    };
    const offs = [
      api.on('anomaly:marks:changed', later),
      api.on('anomaly:scored', ({ runId }) => {
        if (runId === this.runId) later();
      }),
      api.onResync(later),
    ];
    return () => {
      offs.forEach((off) => off());
      this.refreshTimer.cancel();
    };
  }

  clear(): void {
    this.generation++;
    this.runId = null;
    this.result = null;
    this.problem = null;
    this.loading = false;
  }

  show(runId: number | null): void {
    if (runId === this.runId) return;
    this.clear();
    this.runId = runId;
    if (runId !== null) void this.evaluate();
  }

  schedule(): void {
    this.refreshTimer.schedule();
  }

  async evaluate(): Promise<void> {
    const runId = this.runId;
    if (runId === null) return;
    const generation = ++this.generation;
    this.loading = true;
    try {
      const result = await api.invoke('anomaly:eval', { runId });
      if (generation !== this.generation) return;
      this.result = result;
      this.problem = null;
    } catch (err) {
      if (generation !== this.generation) return;
      this.result = null;
      this.problem = errorMessage(err);
    } finally {
      if (generation === this.generation) this.loading = false;
    }
  }

  /** Throws: the panel shows why beside the file the person chose. */
  async importTruth(file: string): Promise<AnomalyMarkImportReport> {
    const report = await api.invoke('anomaly:marks:import', { file });
    this.schedule();
    return report;
  }
}

export const anomalyEval = new AnomalyEvalState();
