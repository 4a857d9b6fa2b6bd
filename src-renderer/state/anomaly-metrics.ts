/**
 * Keeping an anomaly run's metrics current from live events (pure). As with classification runs,
 * a resumed run goes back to its checkpoint: a point at or before the last known one replaces what
 * followed it rather than being appended out of order.
 */
import type { AnomalyEpochDto, AnomalyRunMetricsDto, AnomalyStepDto } from '../../src-main/shared/anomaly.js';

export function withAnomalyStep(metrics: AnomalyRunMetricsDto, step: AnomalyStepDto): AnomalyRunMetricsDto {
  return { ...metrics, steps: [...metrics.steps.filter((s) => s.step < step.step), step] };
}

export function withAnomalyEpoch(metrics: AnomalyRunMetricsDto, epoch: AnomalyEpochDto): AnomalyRunMetricsDto {
  return { ...metrics, epochs: [...metrics.epochs.filter((e) => e.epoch < epoch.epoch), epoch] };
}

/** The stored history plus whatever arrived live after its last point. */
export function mergeAnomalyMetrics(history: AnomalyRunMetricsDto, live: AnomalyRunMetricsDto): AnomalyRunMetricsDto {
  let merged = history;
  const lastStep = history.steps.at(-1)?.step ?? -Infinity;
  const lastEpoch = history.epochs.at(-1)?.epoch ?? -Infinity;
  for (const step of live.steps) if (step.step > lastStep) merged = withAnomalyStep(merged, step);
  for (const epoch of live.epochs) if (epoch.epoch > lastEpoch) merged = withAnomalyEpoch(merged, epoch);
  return merged;
}
