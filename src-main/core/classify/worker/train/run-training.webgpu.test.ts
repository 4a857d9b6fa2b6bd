/**
 * Whole runs on webgpu (one small epoch each, with evaluation, MC-dropout prediction and the saved model):
 * nothing in the loop reads a tensor synchronously, and a run leaves no tensor or GPU byte behind.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTinyRunFixture, type TinyRunFixture } from '../../../../../tests/fixtures/tiny-training-run.js';
import { onWebGpuWithoutLeaks } from '../../../../../tests/fixtures/webgpu.js';
import type { TrainSettingsInput } from '../../../../shared/training.js';
import { inProcessHost } from '../../../engine/job.js';
import type { TrainMessage } from '../../jobs.js';
import { runTraining } from './run-training.js';
import { saveSmallTeacher } from './teacher-image-model.fixture.js';

let fixture: TinyRunFixture;
let teacherDir = '';
beforeAll(async () => {
  fixture = await makeTinyRunFixture();
  teacherDir = path.join(fixture.dir, 'teacher');
  await saveSmallTeacher(teacherDir);
}, 120_000);
afterAll(() => fixture?.remove());

type Settings = Partial<TrainSettingsInput> & Pick<TrainSettingsInput, 'method'>;

const runs: [string, () => Settings][] = [
  ['FlexMatch after a pretraining epoch', () => ({ method: 'flexmatch', pretrainEpochs: 1, epochs: 1, mcPasses: 2 })],
  ['UPS over two rounds', () => ({ method: 'ups', epochs: 1, upsRounds: 2, mcPasses: 2, upsTauP: 0.5, upsKappaP: 1 })],
  ['TCL', () => ({ method: 'tcl', epochs: 1, tclWarmup: 0, mcPasses: 0 })],
  ['MvPL', () => ({ method: 'mvpl', epochs: 1, mcPasses: 0 })],
  ['VideoSSL', () => ({ method: 'videossl', teacherDir, epochs: 1, mcPasses: 0 })],
];

describe('a training run on webgpu', () => {
  onWebGpuWithoutLeaks();

  it.each(runs)('%s: trains, evaluates, saves and predicts', async (_name, settings) => {
    const config = fixture.config(settings(), { backend: 'webgpu' });
    const messages: TrainMessage[] = [];
    await runTraining(config, inProcessHost((m) => messages.push(m)));
    expect(messages.find((m) => m.type === 'started')).toMatchObject({ backend: { name: 'webgpu' } });
    expect(messages.filter((m) => m.type === 'epoch').length).toBeGreaterThan(0);
    expect(messages.flatMap((m) => (m.type === 'predictions' ? m.rows : []))).toHaveLength(fixture.clips.length);
    expect(messages.at(-1)?.type).toBe('done');
  });
});
