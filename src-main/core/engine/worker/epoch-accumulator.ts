/**
 * Sums one epoch's step results into means (each step weighted: equally, or by the items it trained on)
 * and times the training part of the epoch, for the items-per-second a run reports.
 */
export class EpochAccumulator<K extends string> {
  private readonly sums = new Map<K, number>();
  private weights = 0;
  private items = 0;
  private steps = 0;
  private readonly started = performance.now();
  private trainingEnded: number | null = null;

  /** `keys`: the step values to average; a value that is null in a step (no teacher) stays null when it never shows. */
  constructor(private readonly keys: readonly K[]) {}

  get stepCount(): number {
    return this.steps;
  }

  /** Adds a step: its values, its weight in the means, and the items (clips, tubes) it trained on. */
  add(values: Readonly<Record<K, number | null>>, items: number, weight = 1): void {
    for (const key of this.keys) {
      const value = values[key];
      if (value !== null) this.sums.set(key, (this.sums.get(key) ?? 0) + value * weight);
    }
    this.weights += weight;
    this.items += items;
    this.steps++;
  }

  /** Training steps are over (validation and the checkpoint do not count towards items per second). */
  endTraining(): void {
    this.trainingEnded = performance.now();
  }

  /** The weighted mean of `key` over the epoch's steps (NaN without steps). */
  mean(key: K): number {
    return this.weights > 0 ? (this.sums.get(key) ?? 0) / this.weights : NaN;
  }

  /** The mean of a value some runs do not have: null when no step gave one. */
  optionalMean(key: K): number | null {
    return this.sums.has(key) && this.weights > 0 ? this.mean(key) : null;
  }

  /** Seconds since the epoch began, and items per second of its training part. */
  timing(): { seconds: number; itemsPerSecond: number } {
    const now = performance.now();
    const training = ((this.trainingEnded ?? now) - this.started) / 1000;
    return { seconds: (now - this.started) / 1000, itemsPerSecond: training > 0 ? this.items / training : 0 };
  }
}
