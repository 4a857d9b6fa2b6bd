import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { anomalyScoreJob, anomalyTrainJob } from '../../anomaly/jobs.js';
import { predictJob, trainJob, type RunConfig, type TrainMessage } from '../../classify/jobs.js';
import { EngineWorker } from './engine-worker-client.js';

// Small stand-in worker scripts: they exercise the client's handling of a worker that crashes,
// exits, is terminated or answers, without loading TensorFlow.js.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-worker-client-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function script(name: string, onMessage: string): string {
  const file = path.join(dir, `${name}.mjs`);
  fs.writeFileSync(file, `import { parentPort } from 'node:worker_threads';\nparentPort.on('message', (msg) => {\n${onMessage}\n});\n`);
  return file;
}

// The client never looks inside a config; the stand-in scripts ignore it.
const config = { runId: 1 } as RunConfig;

it('a worker that exits mid-job rejects the caller with the exit code', async () => {
  const client = new EngineWorker({ scriptPath: script('exits', 'process.exit(3);') });
  await expect(client.run(trainJob, config, () => undefined)).rejects.toThrow('The training worker exited unexpectedly (exit code 3).');
});

it('a worker that crashes rejects the caller with the crash message, and the next job gets a new worker', async () => {
  const file = script(
    'crashes-once',
    `if (msg.config.runId === 1) { throw new Error('kernel exploded'); }
     parentPort.postMessage({ type: 'done', epochs: 0, final: null });`,
  );
  const client = new EngineWorker({ scriptPath: file });
  await expect(client.run(trainJob, config, () => undefined)).rejects.toThrow('The training worker crashed: kernel exploded');
  await expect(client.run(trainJob, { runId: 2 } as RunConfig, () => undefined)).resolves.toBe('done');
  await client.terminate();
});

it('terminate() rejects the running job, never leaving the caller waiting', async () => {
  const client = new EngineWorker({
    scriptPath: script('busy', `setInterval(() => parentPort.postMessage({ type: 'step', epoch: 1, step: 1, loss: 1, maskRate: 0 }), 5);`),
  });
  let sawStep!: () => void;
  const stepped = new Promise<void>((resolve) => (sawStep = resolve));
  const job = client.run(trainJob, config, (m) => {
    if (m.type === 'step') sawStep();
  });
  await stepped;
  await client.terminate();
  await expect(job).rejects.toThrow('The training worker was terminated.');
});

it('forwards messages, cancels through the signal, and runs queued jobs one after another', async () => {
  const client = new EngineWorker({
    scriptPath: script(
      'cooperative',
      `if (msg.type === 'cancel') { clearInterval(globalThis.timer); parentPort.postMessage({ type: 'cancelled', epochs: 1 }); return; }
       if (msg.config.runId === 2) { parentPort.postMessage({ type: 'done', epochs: 2, final: null }); return; }
       globalThis.timer = setInterval(() => parentPort.postMessage({ type: 'progress', phase: 'train', done: 1, total: 2, message: 'x' }), 5);`,
    ),
  });
  const controller = new AbortController();
  const first: TrainMessage[] = [];
  const second: TrainMessage[] = [];
  const a = client.run(
    trainJob,
    config,
    (m) => {
      first.push(m);
      if (m.type === 'progress') controller.abort();
    },
    controller.signal,
  );
  const b = client.run(trainJob, { runId: 2 } as RunConfig, (m) => second.push(m));
  await expect(a).resolves.toBe('cancelled');
  await expect(b).resolves.toBe('done');
  expect(first.at(-1)).toEqual({ type: 'cancelled', epochs: 1 });
  expect(first.some((m) => m.type === 'progress')).toBe(true);
  expect(second).toEqual([{ type: 'done', epochs: 2, final: null }]);
  await client.terminate();
});

it('a message callback that throws stops the job and rejects with that error', async () => {
  const client = new EngineWorker({
    scriptPath: script(
      'chatty',
      `if (msg.type === 'cancel') { parentPort.postMessage({ type: 'cancelled', epochs: 0 }); return; }
       parentPort.postMessage({ type: 'progress', phase: 'decode', done: 0, total: 1, message: 'x' });`,
    ),
  });
  const job = client.run(trainJob, config, () => {
    throw new Error('database is locked');
  });
  await expect(job).rejects.toThrow('database is locked');
  await client.terminate();
});

it('a worker error message rejects with the worker-side message', async () => {
  const client = new EngineWorker({
    scriptPath: script('fails', `parentPort.postMessage({ type: 'error', message: 'No labelled clips to train on.' });`),
  });
  await expect(client.run(predictJob, { runId: 1 } as never, () => undefined)).rejects.toThrow('No labelled clips to train on.');
  await client.terminate();
});

it('anomaly jobs: training settles on done, scoring passes typed arrays through, a message of another job fails it', async () => {
  const client = new EngineWorker({
    scriptPath: script(
      'anomaly',
      `if (msg.type === 'cancel') { parentPort.postMessage({ type: 'cancelled', epochs: 0 }); return; }
       if (msg.job === 'anomaly-train' && msg.config.runId === 1) {
         parentPort.postMessage({ type: 'tubes', stats: { kept: 1, seen: 2, motionWindows: 1, gridWindows: 0 } });
         parentPort.postMessage({ type: 'done', epochs: 1, final: null });
       } else if (msg.job === 'anomaly-train') {
         parentPort.postMessage({ type: 'predictions', rows: [] });
       } else if (msg.job === 'anomaly-score') {
         parentPort.postMessage({ type: 'scores', videoId: 4, result: { scores: new Float32Array([0.25, 0.5]) } });
         parentPort.postMessage({ type: 'done', epochs: 0, final: null });
       }`,
    ),
  });
  const trained: string[] = [];
  await expect(client.run(anomalyTrainJob, { runId: 1 } as never, (m) => trained.push(m.type))).resolves.toBe('done');
  expect(trained).toEqual(['tubes', 'done']);

  const scored: unknown[] = [];
  await expect(client.run(anomalyScoreJob, { runId: 1 } as never, (m) => scored.push(m))).resolves.toBe('done');
  expect(scored[0]).toEqual({ type: 'scores', videoId: 4, result: { scores: new Float32Array([0.25, 0.5]) } });
  expect((scored[0] as { result: { scores: unknown } }).result.scores).toBeInstanceOf(Float32Array);

  await expect(client.run(anomalyTrainJob, { runId: 2 } as never, () => undefined)).rejects.toThrow('the training worker sent a "predictions" message during anomaly training');
  await client.terminate();
});

it('starts a fresh worker after a training job (wasm heap never shrinks), and keeps it after a prediction', async () => {
  // Each worker answers with its own thread id: a new id means a new worker (and a whole heap).
  const client = new EngineWorker({
    scriptPath: script(
      'thread-id',
      `import('node:worker_threads').then(({ threadId }) => parentPort.postMessage({ type: 'progress', phase: 'train', done: threadId, total: 0, message: '' }))
         .then(() => parentPort.postMessage({ type: 'done', epochs: 0, final: null }));`,
    ),
  });
  const threadOf = async (kind: typeof trainJob | typeof predictJob): Promise<number> => {
    let id = -1;
    await client.run(kind as typeof trainJob, config, (m) => {
      if (m.type === 'progress') id = m.done;
    });
    return id;
  };
  const first = await threadOf(predictJob);
  expect(await threadOf(predictJob)).toBe(first);
  const training = await threadOf(trainJob);
  expect(training).toBe(first);
  expect(await threadOf(predictJob)).not.toBe(training);
  await client.terminate();
});
