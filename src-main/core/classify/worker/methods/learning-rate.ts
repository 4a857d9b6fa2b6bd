/** FixMatch's cosine decay: base·cos(7πk / (16K)) at step k of K (ends at ≈ 0.2·base, never 0). */
export function cosineLearningRate(base: number, step: number, totalSteps: number): number {
  if (!(totalSteps > 0)) throw new Error(`totalSteps must be > 0, got ${totalSteps}`);
  const k = Math.min(Math.max(step, 0), totalSteps);
  return base * Math.cos((7 * Math.PI * k) / (16 * totalSteps));
}

/** Pseudo-label's ramp: λu grows linearly from 0 to 1 over the first `warmup` share of the steps. */
export function unsupervisedRamp(step: number, totalSteps: number, warmup: number): number {
  if (!(warmup > 0)) return 1;
  return Math.min(1, Math.max(0, step / (warmup * totalSteps)));
}
