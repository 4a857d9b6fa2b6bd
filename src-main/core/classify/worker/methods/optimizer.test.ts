import { beforeAll, expect, it } from 'vitest';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { buildModel } from '../models/build-model.js';
import { isDecayed } from './optimizer.js';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
});

it('weight decay applies to conv and dense kernels only, not to biases or batch norm', () => {
  const model = buildModel({ architecture: 'frame2d', classes: 2, frames: 2, size: 8, width: 2, depth: 1, dropout: 0 });
  const decayed = model.weights.filter(isDecayed).map((w) => w.originalName);
  expect(decayed).toEqual(['block1_spatial_conv/kernel', 'temporal_conv/kernel', 'logits/kernel']);
  model.dispose();
});
