// The real worker thread (out/main, built by `npm run build`) running the real engine on tiny videos.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTinyRunFixture, type TinyRunFixture } from '../../../tests/fixtures/tiny-training-run.js';
import { trainJob, type TrainMessage } from '../classify/jobs.js';
import { createEngineWorker } from '../engine-worker-script.js';

let fixture: TinyRunFixture;
const client = createEngineWorker();
beforeAll(async () => {
  fixture = await makeTinyRunFixture();
});
afterAll(async () => {
  await client.terminate();
  fixture?.remove();
});

it('trains in the worker thread and reports the backend, epochs and predictions', async () => {
  const messages: TrainMessage[] = [];
  const config = fixture.config({ method: 'supervised', epochs: 2, mcPasses: 2 });
  await expect(client.run(trainJob, config, (m) => messages.push(m))).resolves.toBe('done');
  expect(messages[0]).toMatchObject({ type: 'started', backend: { name: 'wasm' } });
  expect(messages.filter((m) => m.type === 'epoch')).toHaveLength(2);
  const rows = messages.flatMap((m) => (m.type === 'predictions' ? m.rows : []));
  expect(rows).toHaveLength(fixture.clips.length);
  expect(messages.at(-1)).toMatchObject({ type: 'done', epochs: 2 });
});

it('cancel stops the run at the next step and the caller gets "cancelled"', async () => {
  const controller = new AbortController();
  const messages: TrainMessage[] = [];
  const config = fixture.config({ method: 'fixmatch', epochs: 50 });
  const outcome = client.run(
    trainJob,
    config,
    (m) => {
      messages.push(m);
      if (m.type === 'step') controller.abort();
    },
    controller.signal,
  );
  await expect(outcome).resolves.toBe('cancelled');
  const last = messages.at(-1);
  expect(last?.type).toBe('cancelled');
  expect(last?.type === 'cancelled' && last.epochs < 50).toBe(true);
});

it('a worker killed mid-run rejects the caller with the reason, and the next job gets a new worker', async () => {
  const config = fixture.config({ method: 'fixmatch', epochs: 50 });
  let sawStep!: () => void;
  const stepped = new Promise<void>((resolve) => (sawStep = resolve));
  const job = client.run(trainJob, config, (m) => {
    if (m.type === 'step') sawStep();
  });
  await stepped;
  await client.terminate();
  await expect(job).rejects.toThrow('The training worker was terminated.');

  const again = fixture.config({ method: 'supervised', epochs: 1, mcPasses: 0 }, { predict: [] });
  await expect(client.run(trainJob, again, () => undefined)).resolves.toBe('done');
});
