import { describe, expect, it } from 'vitest';
import type { BackendChoice } from '../../../engine/backend-choice.js';
import { describeMicroBatches, MIB, planMicroBatches, stepBudget, WASM_HEAP_BYTES } from './step-memory.js';

const backend = (name: BackendChoice['name'], extra: Partial<BackendChoice> = {}): BackendChoice => ({ name, tfBackend: name, reason: '', tried: [], gpu: false, ...extra });
const GIB = 1024 * MIB;

describe('a step memory budget', () => {
  it("comes from the setting when set, else from the backend: part of wasm's heap, a GPU's adapter limits, half the machine's memory", () => {
    expect(stepBudget(backend('wasm'), 512, 8 * GIB)).toMatchObject({ bytes: 512 * MIB, tensorBytes: Infinity });
    const wasm = stepBudget(backend('wasm'), 0, 64 * GIB);
    expect(wasm.bytes).toBeLessThan(WASM_HEAP_BYTES);
    expect(wasm.bytes).toBeGreaterThan(WASM_HEAP_BYTES / 4);
    expect(stepBudget(backend('node'), 0, 8 * GIB).bytes).toBe(4 * GIB);
    const adapter = { vendor: 'x', architecture: '', description: 'gpu', software: false, maxBufferBytes: 256 * MIB, maxBindingBytes: 128 * MIB };
    expect(stepBudget(backend('webgpu', { adapter, gpu: true }), 0, 8 * GIB).tensorBytes).toBe(128 * MIB);
  });
});

describe('micro-batches per shard', () => {
  const cost = { bytes: 28 * MIB, largestTensor: 0.5 * MIB };
  const budget = { bytes: 2400 * MIB, tensorBytes: Infinity, source: "wasm's 4 GiB heap" };
  // MvPL at the defaults: 8 labelled clips (3 rows each: its views), 56 unlabelled (6 rows: weak and strong of each view).
  const mvpl = { labelled: 8, unlabelled: 56, rowsPerLabelled: 3, rowsPerUnlabelled: 6 };

  it("splits MvPL's default step (360 rows, ~10 GiB) on two threads into three micro-batches each", () => {
    const plan = planMicroBatches({ ...mvpl, shards: 2 }, cost, budget);
    expect(plan).toEqual({ perShard: 3, rows: 6 + 60, fits: true });
    expect(describeMicroBatches(plan, 2, budget)).toBe("a step runs as 6 micro-batches of at most 66 rows to stay under 2400 MiB (wasm's 4 GiB heap)");
  });

  it('leaves a step that fits whole, and says nothing of it', () => {
    const plan = planMicroBatches({ labelled: 8, unlabelled: 16, rowsPerLabelled: 1, rowsPerUnlabelled: 2, shards: 1 }, cost, budget);
    expect(plan).toEqual({ perShard: 1, rows: 40, fits: true });
    expect(describeMicroBatches(plan, 1, budget)).toBeNull();
  });

  it('splits finer than the labelled clips when it must: MvPL at 16×112×112 on wasm (173 MiB a row)', () => {
    const plan = planMicroBatches({ ...mvpl, shards: 1 }, { bytes: 173 * MIB, largestTensor: 3 * MIB }, budget);
    // 13 rows fit: 28 micro-batches of at most one labelled and two unlabelled clips (3 + 12 rows) do not, 56 of one of each (9) do.
    expect(plan).toEqual({ perShard: 56, rows: 9, fits: true });
  });

  it('says when even one unlabelled clip per micro-batch is over the budget', () => {
    const plan = planMicroBatches({ ...mvpl, shards: 1 }, { bytes: 400 * MIB, largestTensor: 3 * MIB }, budget);
    expect(plan).toEqual({ perShard: 56, rows: 9, fits: false });
    expect(describeMicroBatches(plan, 1, budget)).toMatch(/^a step runs as 56 micro-batches of at most 9 rows, the fewest it can .*yet more than 2400 MiB/);
  });

  it("keeps a GPU's largest tensor within one storage binding", () => {
    const gpu = { bytes: 100 * GIB, tensorBytes: 8 * MIB, source: "the GPU adapter's limits" };
    expect(planMicroBatches({ labelled: 64, unlabelled: 0, rowsPerLabelled: 1, rowsPerUnlabelled: 0, shards: 1 }, cost, gpu)).toEqual({ perShard: 4, rows: 16, fits: true });
  });
});
