import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProxySummary } from '../../shared/dto.js';
import { Core } from '../core.js';

let tmp: string;
const cores: Core[] = [];

function newCore(): Core {
  const core = new Core({ mode: 'cli', userDataDir: path.join(tmp, 'user') });
  cores.push(core);
  return core;
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-jobs-'));
});

afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const nothingDone = (): ProxySummary => ({ kind: 'proxy', made: 0, failed: [] });

describe('jobs', () => {
  it('shows a job that was running when the app crashed as interrupted on the next open', async () => {
    const dir = path.join(tmp, 'project');
    const core = newCore();
    await core.call('project:create', { path: dir });
    const jobs = core.currentSession()!.jobs;
    const done = jobs.start('proxy', 'Finished before the crash', () => Promise.resolve(nothingDone()));
    await jobs.idle();
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const job = jobs.start('import', 'Running at the crash', (ctx) => {
      started();
      return new Promise<ProxySummary>((resolve) => ctx.signal.addEventListener('abort', () => resolve(nothingDone())));
    });
    await running;
    expect(jobs.get(job.id).state).toBe('running');

    // A crash: the files on disk as they are at this instant, with no chance to finish anything.
    const crashed = path.join(tmp, 'crashed');
    fs.mkdirSync(crashed);
    for (const name of fs.readdirSync(dir)) {
      if (name.startsWith('project.vssl')) fs.copyFileSync(path.join(dir, name), path.join(crashed, name));
    }

    const after = newCore();
    await after.call('project:open', { path: crashed });
    const listed = await after.call('jobs:list', {});
    expect(listed.find((j) => j.id === job.id)).toMatchObject({
      state: 'interrupted',
      cancellable: false,
      error: 'The app stopped while this job was running.',
    });
    expect(listed.find((j) => j.id === done.id)).toMatchObject({ state: 'succeeded' });
    expect(listed.find((j) => j.id === job.id)?.finishedAt).not.toBeNull();
  });

  it('idle() waits for jobs that other jobs queue, and returns once all are done', async () => {
    const core = newCore();
    await core.call('project:create', { path: path.join(tmp, 'p') });
    const jobs = core.currentSession()!.jobs;
    const order: string[] = [];
    jobs.start('import', 'first', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      jobs.start('proxy', 'queued by the first', async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push('second');
        return nothingDone();
      });
      order.push('first');
      return nothingDone();
    });
    await jobs.idle();
    expect(order).toEqual(['first', 'second']);
    expect(jobs.list().map((j) => j.state)).toEqual(['succeeded', 'succeeded']);
  });
  it('says how long a running job has left, from its recent progress, in every update and listing', async () => {
    const core = newCore();
    await core.call('project:create', { path: path.join(tmp, 'project') });
    const jobs = core.currentSession()!.jobs;
    const seen: (number | null)[] = [];
    core.events.on('job:updated', (job) => seen.push(job.etaSeconds));
    let report!: (fraction: number) => void;
    let finish!: () => void;
    const started = new Promise<void>((resolve) => {
      jobs.start('proxy', 'Timed', (ctx) => {
        report = (fraction) => ctx.progress(fraction);
        resolve();
        return new Promise<ProxySummary>((done) => {
          finish = () => done(nothingDone());
          ctx.signal.addEventListener('abort', finish);
        });
      });
    });
    await started;
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const t0 = Date.now();
      report(0.1);
      vi.setSystemTime(t0 + 10_000);
      report(0.2); // from 0 at its start to 20% in 10 s: 80% left takes 40 s
      expect(seen[seen.length - 1]).toBeCloseTo(40, 0);
      vi.setSystemTime(t0 + 30_000);
      const listed = (await core.call('jobs:list', {}))[0]!;
      expect(listed.etaSeconds).toBeCloseTo(20, 0);
    } finally {
      vi.useRealTimers();
    }
    finish();
    await jobs.idle();
    expect((await core.call('jobs:list', {}))[0]).toMatchObject({ state: 'succeeded', etaSeconds: null });
  });
});
