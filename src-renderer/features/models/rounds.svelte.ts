import type { RoundDto } from '../../../src-main/shared/review.js';
import type { RunDto } from '../../../src-main/shared/run-dto.js';
import { api } from '../../lib/api.js';
import { toasts } from '../../state/toasts.svelte.js';

/** A training run reports every epoch: asking for the rounds again can wait this long. */
const REFRESH_DELAY_MS = 400;

/** The rounds of the loop in the open project, kept current by 'runs:changed' / 'runs:removed'. */
class RoundsState {
  list = $state.raw<RoundDto[]>([]);
  loaded = $state(false);
  error = $state('');
  /** The run "Retrain with my corrections" started last from this view. */
  started = $state.raw<RunDto | null>(null);

  private timer: ReturnType<typeof setTimeout> | undefined;
  private loading = false;
  private again = false;

  connect(): () => void {
    const offs = [
      api.on('runs:changed', () => this.refreshSoon()),
      api.on('runs:removed', () => this.refreshSoon()),
      api.onResync(() => this.refreshSoon()),
    ];
    return () => {
      clearTimeout(this.timer);
      offs.forEach((off) => off());
    };
  }

  clear(): void {
    this.list = [];
    this.loaded = false;
    this.error = '';
    this.started = null;
  }

  refreshSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.load(), REFRESH_DELAY_MS);
  }

  async load(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return;
    }
    this.loading = true;
    try {
      do {
        this.again = false;
        try {
          this.list = await api.invoke('runs:rounds', {});
          this.loaded = true;
          this.error = '';
        } catch (err) {
          this.error = err instanceof Error ? err.message : String(err);
        }
      } while (this.again);
    } finally {
      this.loading = false;
    }
  }

  /** Starts the next round from a finished run; null (and a toast saying why) when refused. */
  async retrain(runId: number): Promise<RunDto | null> {
    try {
      const run = await api.invoke('review:retrain', { runId });
      this.started = run;
      this.refreshSoon();
      return run;
    } catch (err) {
      toasts.error('Could not start the next round', err);
      return null;
    }
  }
}

export const rounds = new RoundsState();
