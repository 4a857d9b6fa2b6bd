/** How many threads a training step is split across, and how a list splits into even parts (both pipelines). */
import type { BackendName } from '../../backend-choice.js';

/** Rows (inputs through the network) a shard's forward keeps at least: fewer make its batch-norm statistics noisy and its thread mostly overhead. */
export const MIN_ROWS_PER_SHARD = 24;

/** Threads a run trains with: the native TensorFlow backends use every core themselves; wasm and cpu run one thread each. */
export function trainingThreads(requested: number, backend: BackendName, cores: number): number {
  if (backend === 'node' || backend === 'node-gpu') return 1;
  return Math.max(1, requested > 0 ? requested : cores);
}

/** `items` in `parts` consecutive runs whose lengths differ by at most one (the longer ones first). */
export function splitEvenly<T>(items: readonly T[], parts: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let p = 0; p < parts; p++) {
    const length = Math.floor(items.length / parts) + (p < items.length % parts ? 1 : 0);
    out.push(items.slice(start, start + length));
    start += length;
  }
  return out;
}
