/**
 * The crash, at its real size: MvPL's default step (8×64×64 clips, B = 8 labelled and μB = 56 unlabelled,
 * three views each: 360 rows, ~10 GiB of tensors at its peak) used to overrun wasm's 4 GiB heap ("memory access
 * out of bounds"). Planned as a run plans it, it runs as micro-batches on two threads and updates the model.
 * About 30 s on two cores.
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { trainSettingsSchema } from '../../../../shared/training.js';
import { Rng } from '../../../engine/random.js';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import type { BackendChoice } from '../../../engine/backend-choice.js';
import { createOptimizer } from '../methods/optimizer.js';
import { buildModel } from '../models/build-model.js';
import { NO_HEADS } from '../models/extra-heads.js';
import { modelSpecFromSettings } from '../models/model-spec.js';
import { disposeOptimizer } from '../train/training-parts.js';
import { GradientWorkers } from './gradient-workers.js';
import { shardsPerStep, stepShape } from './shard-plan.js';
import { shardedTrainStep } from './sharded-step.js';
import { measureRunRowCost } from './step-memory-probe.js';
import { planMicroBatches, stepBudget, WASM_HEAP_BYTES } from './step-memory.js';

let backend: BackendChoice;
beforeAll(async () => {
  backend = await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
});

it("runs MvPL's default step, which overran wasm's heap whole, as micro-batches within it", async () => {
  const settings = trainSettingsSchema.parse({ method: 'mvpl', threads: 2 });
  expect([settings.frames, settings.size, settings.batchSize, settings.mu]).toEqual([8, 64, 8, 7]);
  const classes = 4;
  const shards = shardsPerStep(settings, 2);
  const cost = await measureRunRowCost(settings, classes, NO_HEADS, 'train');
  // The whole step's tensors are more than twice the heap: it cannot run at once.
  expect(360 * cost.bytes).toBeGreaterThan(2 * WASM_HEAP_BYTES);
  const plan = planMicroBatches(stepShape(settings, 'train', shards), cost, stepBudget(backend, 0, os.totalmem()));
  expect(plan.fits).toBe(true);
  expect(plan.perShard).toBeGreaterThan(1);

  const rng = new Rng(3);
  const clip = (): Uint8Array => Uint8Array.from({ length: 3 * settings.frames * settings.size * settings.size * 3 }, () => rng.int(256));
  const labelled = Array.from({ length: 8 }, clip);
  const unlabelled = Array.from({ length: 56 }, clip);
  const batch = { labelled, labels: labelled.map((_, i) => i % classes), unlabelled, unlabelledIndices: unlabelled.map((_, i) => i) };
  const before = tf.memory().numTensors;
  const model = buildModel(modelSpecFromSettings(settings, classes), { seed: 3 });
  const optimizer = createOptimizer(settings);
  const workers = await GradientWorkers.start(shards - 1, { settings, classes, backend: backend.name, heads: NO_HEADS });
  try {
    const weightsBefore = await model.trainableWeights[0]?.read().data();
    const result = await shardedTrainStep({ model, optimizer, settings, batch, step: 0, totalSteps: 10, thresholds: null, alignment: null, ema: null, rng, workers, shards, microBatches: plan.perShard, stage: 'train', heads: NO_HEADS });
    expect(Number.isFinite(result.loss)).toBe(true);
    expect(result.supervisedLoss).toBeGreaterThan(0);
    const weightsAfter = await model.trainableWeights[0]?.read().data();
    expect(Array.from(weightsAfter ?? [])).not.toEqual(Array.from(weightsBefore ?? []));
  } finally {
    await workers.close();
    disposeOptimizer(optimizer);
    model.dispose();
  }
  expect(tf.memory().numTensors).toBe(before);
}, 240_000);
