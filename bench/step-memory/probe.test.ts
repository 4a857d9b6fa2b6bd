import { it } from 'vitest';
/** Measures what a step of a method costs per row (tf.profile) on a backend: METHODS=mvpl,fixmatch SIZES=8x64,16x112 BACKEND=wasm. */
import { trainSettingsSchema, trainingMethods } from '../../src-main/shared/training.js';
import { selectBackend } from '../../src-main/core/engine/worker/backend/select-backend.js';
import { headsFor } from '../../src-main/core/classify/worker/models/extra-heads.js';
import { measureRunRowCost } from '../../src-main/core/classify/worker/parallel/step-memory-probe.js';

it('row costs', async () => {
  await selectBackend({ VSSL_TF_BACKEND: process.env.BACKEND ?? 'wasm' });
  const sizes = (process.env.SIZES ?? '8x64').split(',').map((s) => s.split('x').map(Number));
  for (const [frames, size] of sizes) {
    for (const method of (process.env.METHODS?.split(',') ?? trainingMethods)) {
      const settings = trainSettingsSchema.parse({ method, frames, size, teacherDir: method === 'videossl' ? '/x' : null });
      const t = Date.now();
      const cost = await measureRunRowCost(settings, 2, headsFor(settings, method === 'videossl' ? 10 : 0), 'train');
      console.log(`${method} ${frames}x${size}: ${(cost.bytes / 2 ** 20).toFixed(1)} MiB/row, largest ${(cost.largestTensor / 2 ** 20).toFixed(1)} MiB/row (${Date.now() - t} ms)`);
    }
  }
}, 1_800_000);
