/**
 * How much memory a step may take, and how many micro-batches that splits each thread's shard into. A
 * micro-batch is a smaller shard (splitStep's ShardShare, its own batch-norm statistics) computed after the
 * previous one on the same thread; their gradients add up, so the step still updates the weights once.
 */
import type { BackendChoice } from '../../../engine/backend-choice.js';

export const MIB = 2 ** 20;

/** tfjs-backend-wasm grows its wasm32 heap up to 4 GiB less a 64 KiB page; past that its allocations fail ("memory access out of bounds"). */
export const WASM_HEAP_BYTES = 4294901760;
/**
 * Share of the heap a step's tensors may take: the rest is for the allocator's fragmentation, kernels'
 * scratch buffers (which tf.memory() does not count) and the model, optimizer and EMA. Measured on MvPL at
 * 8×64×64: 28 MiB of tensors per row at the peak; 45-row and 90-row micro-batches grew the heap to 1362 and
 * 2628 MiB, so the heap follows the tensors closely and 60 % of it leaves a wide margin.
 */
const WASM_STEP_SHARE = 0.6;
/** A GPU's memory is not something WebGPU or TensorFlow report: a step budget most GPUs with 4 GiB or more hold. */
const GPU_STEP_BYTES = 2048 * MIB;
/** The CPU backends (tfjs-node, cpu) keep tensors in the process's memory: a generous share of it. */
const CPU_STEP_SHARE = 0.5;

export interface StepBudget {
  /** Bytes of tensors one micro-batch may hold at its peak (forward, tape and backward). */
  bytes: number;
  /** The largest single tensor allowed (a WebGPU storage binding); Infinity where none. */
  tensorBytes: number;
  /** Where the budget comes from, as the run's backend reason says it. */
  source: string;
}

/** The budget of a step on `backend`: `maxStepMemoryMiB` when set (above 0), else what the backend allows. */
export function stepBudget(backend: BackendChoice, maxStepMemoryMiB: number, totalMemoryBytes: number): StepBudget {
  const adapter = backend.adapter;
  const tensorBytes = backend.name === 'webgpu' && adapter !== undefined ? Math.min(adapter.maxBindingBytes, adapter.maxBufferBytes) : Infinity;
  if (maxStepMemoryMiB > 0) return { bytes: maxStepMemoryMiB * MIB, tensorBytes, source: 'the step memory setting' };
  switch (backend.name) {
    case 'wasm':
      return { bytes: WASM_HEAP_BYTES * WASM_STEP_SHARE, tensorBytes, source: "wasm's 4 GiB heap" };
    case 'webgpu':
    case 'node-gpu':
      return { bytes: GPU_STEP_BYTES, tensorBytes, source: backend.name === 'webgpu' ? "the GPU adapter's limits" : 'a budget most GPUs hold' };
    case 'node':
    case 'cpu':
      return { bytes: totalMemoryBytes * CPU_STEP_SHARE, tensorBytes, source: "half the machine's memory" };
  }
}

/** What one row (a clip view) of a step costs, as measured (step-memory-probe.ts). */
export interface RowCost {
  /** Peak tensor bytes of a micro-batch, per row. */
  bytes: number;
  /** The largest single tensor, per row. */
  largestTensor: number;
}

export interface MicroBatchPlan {
  /** Micro-batches each thread's shard runs as (1: the shard at once). */
  perShard: number;
  /** Rows of the largest micro-batch. */
  rows: number;
  /** Whether a micro-batch stays within the budget (false: even one unlabelled clip each is too much). */
  fits: boolean;
}

/** What a step holds: its clips, the rows each kind of clip runs through the network, and its thread shards. */
export interface StepShape {
  labelled: number;
  unlabelled: number;
  rowsPerLabelled: number;
  rowsPerUnlabelled: number;
  shards: number;
}

/** Rows of the largest of `pieces` micro-batches of a shard (splitStep spreads each kind of clip evenly). */
function largestPieceRows(step: StepShape, pieces: number): number {
  const perShard = (clips: number): number => Math.ceil(clips / step.shards);
  return Math.ceil(perShard(step.labelled) / pieces) * step.rowsPerLabelled + Math.ceil(perShard(step.unlabelled) / pieces) * step.rowsPerUnlabelled;
}

/**
 * Micro-batches per shard: as few as keep the largest under the budget. At most one per unlabelled clip of
 * the shard (each needs its unlabelled terms; past one per labelled clip, micro-batches hold unlabelled clips
 * only), or per labelled clip when the step has no unlabelled ones.
 */
export function planMicroBatches(step: StepShape, cost: RowCost, budget: StepBudget): MicroBatchPlan {
  const rowsThatFit = Math.min(budget.bytes / cost.bytes, cost.largestTensor > 0 ? budget.tensorBytes / cost.largestTensor : Infinity);
  const most = Math.max(1, Math.floor((step.unlabelled > 0 ? step.unlabelled : step.labelled) / step.shards));
  let perShard = 1;
  while (perShard < most && largestPieceRows(step, perShard) > rowsThatFit) perShard++;
  const rows = largestPieceRows(step, perShard);
  return { perShard, rows, fits: rows <= rowsThatFit };
}

/** "a step runs as 8 micro-batches of at most 45 rows to stay under 1434 MiB (wasm's 4 GiB heap)", or null for a step run whole. */
export function describeMicroBatches(plan: MicroBatchPlan, shards: number, budget: StepBudget, what = 'a step'): string | null {
  if (plan.perShard <= 1 && plan.fits) return null;
  const count = plan.perShard * shards;
  const mib = Math.round(budget.bytes / MIB);
  const split = `${what} runs as ${count} micro-batch${count === 1 ? '' : 'es'} of at most ${plan.rows} rows`;
  if (plan.fits) return `${split} to stay under ${mib} MiB (${budget.source})`;
  return `${split}, the fewest it can (one unlabelled clip each), yet more than ${mib} MiB (${budget.source}): lower the input size or the batch size if it fails`;
}
