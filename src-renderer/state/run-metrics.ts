/**
 * Keeping a run's metrics current from live events (pure: the Train and Anomaly views' run states
 * call these, for classification and anomaly runs alike). A resumed run goes back to its last
 * checkpoint, so a point at or before the last one known replaces what followed it rather than
 * being appended out of order.
 */

/** Metrics as a run's history holds them: steps in step order, epochs in epoch order. */
export interface MetricsHistory {
  steps: { step: number }[];
  epochs: { epoch: number }[];
}

export function withStep<M extends MetricsHistory>(metrics: M, step: M['steps'][number]): M {
  return { ...metrics, steps: [...metrics.steps.filter((s) => s.step < step.step), step] };
}

export function withEpoch<M extends MetricsHistory>(metrics: M, epoch: M['epochs'][number]): M {
  return { ...metrics, epochs: [...metrics.epochs.filter((e) => e.epoch < epoch.epoch), epoch] };
}

/** The stored history plus whatever arrived live after its last point. */
export function mergeMetrics<M extends MetricsHistory>(history: M, live: M): M {
  let merged = history;
  const lastStep = history.steps.at(-1)?.step ?? -Infinity;
  const lastEpoch = history.epochs.at(-1)?.epoch ?? -Infinity;
  for (const step of live.steps) if (step.step > lastStep) merged = withStep(merged, step);
  for (const epoch of live.epochs) if (epoch.epoch > lastEpoch) merged = withEpoch(merged, epoch);
  return merged;
}
