import type { EpochMetrics } from '../../../engine/job-messages.js';

/** What one training step reports. */
export interface StepResult {
  loss: number;
  supervisedLoss: number;
  unsupervisedLoss: number;
  maskRate: number;
  trainAccuracy: number;
}

/** Averages step results over an epoch (a step's share is equal: every step has the same batch sizes). */
export class EpochAccumulator {
  private steps = 0;
  private clips = 0;
  private sums: StepResult = { loss: 0, supervisedLoss: 0, unsupervisedLoss: 0, maskRate: 0, trainAccuracy: 0 };
  private readonly started = performance.now();
  private trainingEnded: number | null = null;

  add(result: StepResult, clips: number): void {
    this.steps++;
    this.clips += clips;
    for (const key of Object.keys(this.sums) as (keyof StepResult)[]) this.sums[key] += result[key];
  }

  get stepCount(): number {
    return this.steps;
  }

  /** Training steps are over (validation and the checkpoint do not count towards clips per second). */
  endTraining(): void {
    this.trainingEnded = performance.now();
  }

  finish(extra: {
    epoch: number;
    step: number;
    lr: number;
    validationAccuracy: number | null;
    validationLoss: number | null;
    classThresholds: number[] | null;
  }): EpochMetrics {
    const n = Math.max(1, this.steps);
    const now = performance.now();
    const seconds = (now - this.started) / 1000;
    const trainingSeconds = ((this.trainingEnded ?? now) - this.started) / 1000;
    return {
      ...extra,
      loss: this.sums.loss / n,
      supervisedLoss: this.sums.supervisedLoss / n,
      unsupervisedLoss: this.sums.unsupervisedLoss / n,
      maskRate: this.sums.maskRate / n,
      trainAccuracy: this.sums.trainAccuracy / n,
      clipsPerSecond: trainingSeconds > 0 ? this.clips / trainingSeconds : 0,
      seconds,
    };
  }
}
