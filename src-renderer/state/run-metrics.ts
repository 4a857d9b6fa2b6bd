/**
 * Keeping a run's metrics current from live events (pure: the Train view's state calls these).
 * A resumed run goes back to its last checkpoint, so a point at or before the last one known
 * replaces what followed it rather than being appended out of order.
 */
import type { EpochMetrics, RunMetricsDto, StepMetrics } from '../../src-main/shared/run-dto.js';

export function withStep(metrics: RunMetricsDto, step: StepMetrics): RunMetricsDto {
  return { ...metrics, steps: [...metrics.steps.filter((s) => s.step < step.step), step] };
}

export function withEpoch(metrics: RunMetricsDto, epoch: EpochMetrics): RunMetricsDto {
  return { ...metrics, epochs: [...metrics.epochs.filter((e) => e.epoch < epoch.epoch), epoch] };
}

/** The stored history plus whatever arrived live after its last point. */
export function mergeMetrics(history: RunMetricsDto, live: RunMetricsDto): RunMetricsDto {
  let merged = history;
  const lastStep = history.steps.at(-1)?.step ?? -Infinity;
  const lastEpoch = history.epochs.at(-1)?.epoch ?? -Infinity;
  for (const step of live.steps) if (step.step > lastStep) merged = withStep(merged, step);
  for (const epoch of live.epochs) if (epoch.epoch > lastEpoch) merged = withEpoch(merged, epoch);
  return merged;
}
