/**
 * Lets through at most one event per interval: step messages cross a thread boundary and feed
 * charts, and a few per second is all a person can read.
 */
export class StepThrottle {
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** True (and starts a new interval) when the last event let through is at least one interval old. */
  ready(): boolean {
    const t = this.now();
    if (t - this.last < this.intervalMs) return false;
    this.last = t;
    return true;
  }
}

/** Step messages: at most 4 per second. */
export const STEP_MESSAGE_INTERVAL_MS = 250;

/** Lets the worker's event loop run (a 'cancel' message is only seen between macrotasks). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
