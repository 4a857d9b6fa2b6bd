import type { Rng } from '../../../engine/random.js';

/** Steps in an epoch over `count` tubes: whole batches only, or one batch of all of them when there are fewer. */
export function tubeStepsPerEpoch(count: number, batchSize: number): number {
  return count <= batchSize ? 1 : Math.floor(count / batchSize);
}

/** The batches of one epoch: a fresh shuffle of the tubes cut into `tubeStepsPerEpoch` batches (the remainder waits for another epoch). */
export function shuffledTubeBatches(rng: Rng, count: number, batchSize: number): number[][] {
  const order = rng.shuffle(Array.from({ length: count }, (_, i) => i));
  if (count <= batchSize) return [order];
  return Array.from({ length: tubeStepsPerEpoch(count, batchSize) }, (_, b) => order.slice(b * batchSize, (b + 1) * batchSize));
}
