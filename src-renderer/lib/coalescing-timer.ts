/**
 * Runs an action once, a fixed delay after the first of a burst of requests: requests made while
 * it waits join that run. For refetching after events that come in bursts (imports, scoring).
 */
export class CoalescingTimer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly delayMs: number;
  private readonly action: () => void;

  constructor(delayMs: number, action: () => void) {
    this.delayMs = delayMs;
    this.action = action;
  }

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.action();
    }, this.delayMs);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
