import * as tf from '@tensorflow/tfjs';
/** A whole default step split into PARTS pieces on one thread, and how far each grows the wasm heap: PARTS=8 METHOD=mvpl FRAMES=8 SIZE=64. */
import { it } from 'vitest';
import { methodInfo, trainSettingsSchema, type TrainingMethod } from '../../src-main/shared/training.js';
import { selectBackend } from '../../src-main/core/engine/worker/backend/select-backend.js';
import { buildModel } from '../../src-main/core/classify/worker/models/build-model.js';
import { modelSpecFromSettings } from '../../src-main/core/classify/worker/models/model-spec.js';
import { headsFor } from '../../src-main/core/classify/worker/models/extra-heads.js';
import { shardGradients } from '../../src-main/core/classify/worker/parallel/shard-gradients.js';
import { splitStep, rowsPerStep } from '../../src-main/core/classify/worker/parallel/shard-plan.js';
import { pseudoLabelRule } from '../../src-main/core/classify/worker/methods/train-step.js';
import { FlexMatchThresholds } from '../../src-main/core/classify/worker/methods/flexmatch-thresholds.js';
import { Rng } from '../../src-main/core/engine/random.js';

const method = (process.env.METHOD ?? 'mvpl') as TrainingMethod;
const parts = Number(process.env.PARTS ?? 1);
const frames = Number(process.env.FRAMES ?? 8);
const size = Number(process.env.SIZE ?? 64);

function heap(): number {
  const b = tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } };
  return b.wasm?.HEAPU8.length ?? 0;
}

it('measures', async () => {
  await selectBackend({ VSSL_TF_BACKEND: process.env.BACKEND ?? 'wasm' });
  const settings = trainSettingsSchema.parse({ method, frames, size });
  const views = methodInfo[method].clipViews;
  const model = buildModel(modelSpecFromSettings(settings, 2, headsFor(settings, 0)), { seed: 1 });
  const rng = new Rng(1);
  const clip = (): Uint8Array => Uint8Array.from({ length: views * frames * size * size * 3 }, () => rng.int(256));
  const labelled = Array.from({ length: settings.batchSize }, clip);
  const unlabelled = methodInfo[method].usesUnlabelled ? Array.from({ length: settings.batchSize * settings.mu }, clip) : [];
  const batch = { labelled, labels: labelled.map((_, i) => i % 2), unlabelled, unlabelledIndices: unlabelled.map((_, i) => i) };
  const flex = new FlexMatchThresholds(Math.max(1, unlabelled.length), 2, settings.threshold, settings.flexWarmup);
  const rule = pseudoLabelRule(settings, flex);
  const h0 = heap();
  const m0 = tf.memory().numBytes;
  console.log(`${method} ${frames}x${size}x${size} rows/step ${rowsPerStep(settings)} parts ${parts}; heap before ${(h0 / 2 ** 20).toFixed(0)} MiB, tensors ${(m0 / 2 ** 20).toFixed(0)} MiB`);
  const t = Date.now();
  for (const shard of splitStep(batch, parts)) {
    const r = await shardGradients(model, settings, { ...shard, rule, step: 0, totalSteps: 10, seed: 1, stage: 'train' }, headsFor(settings, 0));
    tf.dispose(r.grads);
    console.log(`  shard ${shard.labelled.length}+${shard.unlabelled.length} clips: heap now ${(heap() / 2 ** 20).toFixed(0)} MiB`);
  }
  console.log(`  step ${(Date.now() - t) / 1000}s; heap after ${(heap() / 2 ** 20).toFixed(0)} MiB`);
}, 600_000);
