/**
 * What each Train chart plots, as pure functions of a run's metrics: uPlot wants one shared,
 * sorted x array and one y array per series, with null where a series has no point at that x.
 */
import type { EpochMetrics, RunMetricsDto } from '../../../src-main/shared/run-dto.js';

export type Point = readonly [x: number, y: number | null];

export interface ChartData {
  /** [xs, ...ys], the shape uPlot takes. */
  aligned: [number[], ...(number | null)[][]];
  /** Points that carry a value, over all series (0: nothing to draw yet). */
  points: number;
}

/** Lines up series sampled at different x values (step losses and epoch losses, say). */
export function alignSeries(series: readonly (readonly Point[])[]): ChartData {
  const xs = [...new Set(series.flatMap((points) => points.map(([x]) => x)))].sort((a, b) => a - b);
  const column = new Map(xs.map((x, i) => [x, i]));
  let points = 0;
  const ys = series.map((seriesPoints) => {
    const values: (number | null)[] = xs.map(() => null);
    for (const [x, y] of seriesPoints) {
      const at = column.get(x);
      if (at === undefined || y === null || !Number.isFinite(y)) continue;
      values[at] = y;
      points++;
    }
    return values;
  });
  return { aligned: [xs, ...ys], points };
}

export function isPretraining(epoch: EpochMetrics): boolean {
  return epoch.stage === 'pretrain';
}

/**
 * Loss per step, the epoch's mean training loss and the validation loss, against steps. With
 * `pretraining`, the epochs of self-supervised pretraining (the pretraining objective's loss, on another scale)
 * are a fourth series of their own.
 */
export function lossChart(metrics: RunMetricsDto, pretraining = false): ChartData {
  const series: Point[][] = [
    metrics.steps.map((s) => [s.step, s.loss] as const),
    metrics.epochs.map((e) => [e.step, isPretraining(e) ? null : e.loss] as const),
    metrics.epochs.map((e) => [e.step, e.validationLoss] as const),
  ];
  if (pretraining) series.push(metrics.epochs.map((e) => [e.step, isPretraining(e) ? e.loss : null] as const));
  return alignSeries(series);
}

/** Validation and training accuracy per epoch (none while pretraining: labels are not used then). */
export function accuracyChart(metrics: RunMetricsDto): ChartData {
  return alignSeries([
    metrics.epochs.map((e) => [e.epoch, e.validationAccuracy] as const),
    metrics.epochs.map((e) => [e.epoch, isPretraining(e) ? null : e.trainAccuracy] as const),
  ]);
}

/**
 * Share of unlabelled clips whose pseudo-label passed the threshold, per step and per epoch;
 * the run's first `pretrainEpochs` epochs have no pseudo-labels, so they are left out.
 */
export function maskRateChart(metrics: RunMetricsDto, pretrainEpochs = 0): ChartData {
  return alignSeries([
    metrics.steps.filter((s) => s.epoch > pretrainEpochs).map((s) => [s.step, s.maskRate] as const),
    metrics.epochs.filter((e) => !isPretraining(e)).map((e) => [e.step, e.maskRate] as const),
  ]);
}

/** FlexMatch's threshold of each class per epoch; one series per class, in the run's class order. */
export function thresholdChart(epochs: readonly EpochMetrics[], classCount: number): ChartData {
  return alignSeries(
    Array.from({ length: classCount }, (_, c) =>
      epochs.map((e) => [e.epoch, e.classThresholds?.[c] ?? null] as const),
    ),
  );
}

/** Validation accuracy per epoch of several runs, one series each. */
export function comparisonChart(runs: readonly { epochs: readonly EpochMetrics[] }[]): ChartData {
  return alignSeries(runs.map((run) => run.epochs.map((e) => [e.epoch, e.validationAccuracy] as const)));
}

/** Distinct line colours for a dark background, for series without a colour of their own. */
export const PALETTE = ['#4d8dff', '#f0a04b', '#3fb97b', '#e05d8c', '#b48cf2', '#49c6d8', '#d9c94a', '#f06464', '#8fa1b3', '#7bd46f'];

export function paletteColor(index: number): string {
  return PALETTE[index % PALETTE.length] ?? '#4d8dff';
}
