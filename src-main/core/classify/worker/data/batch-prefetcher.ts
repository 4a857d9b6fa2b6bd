export interface BatchPrefetcherOptions<T> {
  /** Items made ahead of the one being consumed; default 1. */
  ahead?: number;
  /** Frees an item that was made but never handed out (e.g. disposes its tensors) on close(). */
  release?: (item: T) => void;
}

/**
 * Keeps the next batches in the making while the current one is used, so reading clips from
 * disk (and decoding missing ones) overlaps the training step. `produce(i)` makes batch i; batches
 * are handed out in order. A failed batch rejects the next() that would have returned it.
 */
export class BatchPrefetcher<T> {
  private readonly ahead: number;
  private readonly inFlight: Promise<T>[] = [];
  private nextIndex = 0;
  private closed = false;

  constructor(
    private readonly produce: (index: number) => Promise<T>,
    private readonly options: BatchPrefetcherOptions<T> = {},
  ) {
    this.ahead = Math.max(0, options.ahead ?? 1);
  }

  /** Batch i (0, 1, 2, … on successive calls); starts making the ones after it. */
  async next(): Promise<T> {
    if (this.closed) throw new Error('BatchPrefetcher: next() after close()');
    this.fill(this.ahead + 1);
    return this.inFlight.shift()!;
  }

  /** Stops making batches; waits for those under way and releases the ones never handed out. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const left = this.inFlight.splice(0);
    const outcomes = await Promise.allSettled(left);
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') this.options.release?.(outcome.value);
    }
  }

  private fill(count: number): void {
    while (this.inFlight.length < count) {
      const index = this.nextIndex++;
      // Called in a microtask so a synchronous throw becomes a rejection of this batch only.
      const item = Promise.resolve().then(() => this.produce(index));
      item.catch(() => undefined); // handled by the next() that returns it, or by close()
      this.inFlight.push(item);
    }
  }
}
