/**
 * The messages between a training job and its gradient threads (data-parallel training), whatever the
 * pipeline: an `init` (the pipeline's model description), then `shard` jobs that each carry the weights to
 * start from, answered by `gradients` (flattened like the weights) or an `error`.
 */

/** What every shard job carries: the trainable weights, concatenated in `model.trainableWeights` order. */
export interface WeightsJob {
  weights: Float32Array;
}

/** What every shard result carries: the gradients, concatenated like the job's weights. */
export interface GradientsResult {
  grads: Float32Array;
}

export type ToGradientThread<Init, Job extends WeightsJob> = ({ type: 'init' } & Init) | ({ type: 'shard'; id: number } & Job);

export type FromGradientThread<Result extends GradientsResult> =
  | { type: 'ready' }
  | ({ type: 'gradients'; id: number } & Result)
  | { type: 'error'; id: number | null; message: string };

function typeOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' ? type : null;
}

/** Shape check of a message to a thread; `isInit` checks the pipeline's init. */
export function isToGradientThread<Init, Job extends WeightsJob>(value: unknown, isInit: (value: object) => boolean): value is ToGradientThread<Init, Job> {
  const type = typeOf(value);
  if (type === 'init') return isInit(value as object);
  return type === 'shard' && (value as { weights?: unknown }).weights instanceof Float32Array;
}

export function isFromGradientThread<Result extends GradientsResult>(value: unknown): value is FromGradientThread<Result> {
  const type = typeOf(value);
  if (type === 'gradients') return (value as { grads?: unknown }).grads instanceof Float32Array;
  return type === 'ready' || type === 'error';
}
