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

  it("splits MvPL's default step (360 rows, ~10 GiB) on two threads into three micro-batches each", () => {
    const plan = planMicroBatches({ rows: 360, labelled: 8, shards: 2 }, cost, budget);
    expect(plan).toEqual({ perShard: 3, rows: 60, fits: true });
    expect(describeMicroBatches(plan, 2, budget)).toBe("a step runs as 6 micro-batches of about 60 rows to stay under 2400 MiB (wasm's 4 GiB heap)");
  });

  it('leaves a step that fits whole, and says nothing of it', () => {
    const plan = planMicroBatches({ rows: 40, labelled: 8, shards: 1 }, cost, budget);
    expect(plan.perShard).toBe(1);
    expect(describeMicroBatches(plan, 1, budget)).toBeNull();
  });

  it('keeps one labelled clip per micro-batch, and says when even that is over the budget', () => {
    const plan = planMicroBatches({ rows: 360, labelled: 8, shards: 1 }, { bytes: 172 * MIB, largestTensor: 3 * MIB }, budget);
    expect(plan).toEqual({ perShard: 8, rows: 45, fits: false });
    expect(describeMicroBatches(plan, 1, budget)).toMatch(/^a step runs as 8 micro-batches of about 45 rows, the fewest it can .*yet more than 2400 MiB/);
  });

  it("keeps a GPU's largest tensor within one storage binding", () => {
    const gpu = { bytes: 100 * GIB, tensorBytes: 8 * MIB, source: "the GPU adapter's limits" };
    expect(planMicroBatches({ rows: 64, labelled: 8, shards: 1 }, cost, gpu)).toEqual({ perShard: 4, rows: 16, fits: true });
  });
});
