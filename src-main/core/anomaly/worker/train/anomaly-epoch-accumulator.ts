import type { AnomalyTrainStepResult } from '../model/anomaly-train-step.js';
import type { AnomalyEpochMetrics } from '../../anomaly-train-job.js';

const KEYS = ['loss', 'middleFrameLoss', 'arrowLoss', 'irregularLoss', 'arrowAccuracy', 'irregularAccuracy'] as const;
type Key = (typeof KEYS)[number];

/** Sums one epoch's step results, weighted by tubes per step, and the time spent training. */
export class AnomalyEpochAccumulator {
  private readonly sums: Record<Key, number> = { loss: 0, middleFrameLoss: 0, arrowLoss: 0, irregularLoss: 0, arrowAccuracy: 0, irregularAccuracy: 0 };
  private teacherSum: number | null = null;
  private tubes = 0;
  private steps = 0;
  private readonly started = performance.now();

  get stepCount(): number {
    return this.steps;
  }

  add(result: AnomalyTrainStepResult, tubes: number): void {
    for (const key of KEYS) this.sums[key] += result[key] * tubes;
    if (result.teacherLoss !== null) this.teacherSum = (this.teacherSum ?? 0) + result.teacherLoss * tubes;
    this.tubes += tubes;
    this.steps++;
  }

  finish(epoch: number, step: number, learningRate: number): AnomalyEpochMetrics {
    const seconds = (performance.now() - this.started) / 1000;
    const mean = (key: Key) => (this.tubes > 0 ? this.sums[key] / this.tubes : NaN);
    return {
      epoch,
      step,
      loss: mean('loss'),
      middleFrameLoss: mean('middleFrameLoss'),
      arrowLoss: mean('arrowLoss'),
      irregularLoss: mean('irregularLoss'),
      arrowAccuracy: mean('arrowAccuracy'),
      irregularAccuracy: mean('irregularAccuracy'),
      teacherLoss: this.teacherSum === null || this.tubes === 0 ? null : this.teacherSum / this.tubes,
      learningRate,
      tubes: this.tubes,
      tubesPerSecond: seconds > 0 ? this.tubes / seconds : 0,
      seconds,
    };
  }
}
