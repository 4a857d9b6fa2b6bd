/**
 * Yields load(0), load(1), … while the next one is already loading, so reading clips from disk
 * (and decoding any that are missing) overlaps the tensor work on the current batch.
 */
export async function* readAhead<T>(count: number, load: (index: number) => Promise<T>): AsyncGenerator<T> {
  let pending: Promise<T> | null = count > 0 ? load(0) : null;
  try {
    for (let i = 0; i < count && pending !== null; i++) {
      const current: Promise<T> = pending;
      pending = i + 1 < count ? load(i + 1) : null;
      yield await current;
    }
  } finally {
    // Stopped early (cancel, error): the load in flight is no longer wanted, and must not become an unhandled rejection.
    pending?.catch(() => undefined);
  }
}
