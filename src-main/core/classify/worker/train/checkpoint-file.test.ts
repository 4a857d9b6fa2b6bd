import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { classifierCheckpoint, type Checkpoint } from './checkpoint-file.js';

const { path: checkpointPath, read: readCheckpoint, readState: readCheckpointState, write: writeCheckpoint } = classifierCheckpoint;

const dirs: string[] = [];
function runDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-ckpt-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function sample(epoch: number): Checkpoint {
  return {
    state: { runId: 7, epoch, step: epoch * 3, rng: 12345, emaUpdates: epoch * 3, fingerprint: 'fp', flex: { tau: 0.95, warmup: true, classes: 3, predicted: [-1, 2] }, history: [] },
    tensors: {
      model: [{ name: 'conv/kernel', dtype: 'float32', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, epoch]) }],
      ema: [{ name: 'conv/kernel', dtype: 'float32', shape: [2, 3], data: Float32Array.from([0.5, 1, 1.5, 2, 2.5, 3]) }],
      optimizer: [
        { name: 'iter', dtype: 'int32', shape: [], data: Int32Array.from([epoch * 3]) },
        { name: 'conv/kernel/momentum', dtype: 'float32', shape: [2, 3], data: new Float32Array(6).fill(-0.25) },
      ],
    },
  };
}

it('round-trips state and tensors, and replaces the previous checkpoint', async () => {
  const dir = runDir();
  expect(await readCheckpoint(dir)).toBeNull();
  expect(await readCheckpointState(dir)).toBeNull();
  await writeCheckpoint(dir, sample(1));
  await writeCheckpoint(dir, sample(2));
  const loaded = await readCheckpoint(dir);
  expect(loaded).toEqual(sample(2));
  expect(await readCheckpointState(dir)).toEqual(sample(2).state);
  expect(fs.readdirSync(path.dirname(checkpointPath(dir)))).toEqual(['checkpoint.bin']);
});

it('clears the temp file a killed write left, and names a damaged checkpoint', async () => {
  const dir = runDir();
  await writeCheckpoint(dir, sample(1));
  const leftover = `${checkpointPath(dir)}.partial-999-abcd`;
  fs.writeFileSync(leftover, 'half');
  await writeCheckpoint(dir, sample(2));
  expect(fs.existsSync(leftover)).toBe(false);

  const bytes = fs.readFileSync(checkpointPath(dir));
  fs.writeFileSync(checkpointPath(dir), bytes.subarray(0, bytes.length - 8));
  await expect(readCheckpoint(dir)).rejects.toThrow(/checkpoint .* is damaged \(tensor optimizer\/conv\/kernel\/momentum is cut short\)/);
  fs.writeFileSync(checkpointPath(dir), 'not a checkpoint at all');
  await expect(readCheckpointState(dir)).rejects.toThrow(/is damaged \(not a VSSL checkpoint\)/);
});

it('refuses a checkpoint whose state is not what this version writes, naming the field', async () => {
  const dir = runDir();
  const good = sample(1);
  const bad = { ...good, state: { ...good.state, flex: { ...good.state.flex, predicted: ['x'] } } } as unknown as Checkpoint;
  await writeCheckpoint(dir, bad);
  await expect(readCheckpointState(dir)).rejects.toThrow(/is damaged \(unexpected header: flex\.predicted\.0: /);
  await expect(readCheckpoint(dir)).rejects.toThrow(/is damaged \(unexpected header: flex\.predicted\.0: /);
});
