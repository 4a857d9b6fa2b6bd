import { beforeAll, expect, it } from 'vitest';
import { trainSettingsSchema, type TrainingMethod } from '../../../../shared/training.js';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { NO_HEADS } from '../models/extra-heads.js';
import { measureRunRowCost } from './step-memory-probe.js';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
});

const costOf = (method: TrainingMethod) =>
  measureRunRowCost(trainSettingsSchema.parse({ method, frames: 4, size: 32, width: 8, depth: 2 }), 3, NO_HEADS, 'train');

it("measures a row of every method's full step: TCL's past its labelled-only warm-up, as FixMatch's", async () => {
  const [fixmatch, tcl] = [await costOf('fixmatch'), await costOf('tcl')];
  // Both run a labelled row and two rows per unlabelled clip; measured in the warm-up, TCL's step would run a
  // third of them, and its cost a row a third of this.
  expect(tcl.bytes).toBeGreaterThan(0.8 * fixmatch.bytes);
  expect(tcl.bytes).toBeLessThan(1.25 * fixmatch.bytes);
});
