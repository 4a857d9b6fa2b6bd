/**
 * `vssl review next` and `vssl review apply` in a fresh process, on a real project whose run's
 * predictions were written into it (no training: the queue only needs stored probabilities).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestProject, type TestProject } from '../../tests/fixtures/core-harness.js';
import { addVideo } from '../../tests/fixtures/label-projects.js';
import { addFinishedRun, predictionRow } from '../../tests/fixtures/review-project.js';
import { cliRunner } from '../../tests/fixtures/cli-runner.js';
import { ensureCliBuilt } from '../../tests/fixtures/run-cli.js';
import { Core } from '../core/core.js';
import type { ApplyReport } from './commands/review-apply.js';
import type { NextReport } from './commands/review-next.js';
import { reviewCommand } from './commands/review.js';
import { UsageError } from './usage.js';

let t: TestProject;
let runId: number;
let project: string;
const videoPath = (i: number) => path.join(t.media, `v${i}.mp4`);

const { ok, exits } = cliRunner(() => t.tmp);

/** A refusal here also prints nothing on stdout. */
async function fails(code: number, ...args: string[]): Promise<string> {
  const run = await exits(code, ...args);
  expect(run.stdout).toBe('');
  return run.stderr;
}

/** A look at the project in this process, after the CLI has closed it. */
async function withProject<T>(work: (core: Core) => Promise<T>): Promise<T> {
  const core = new Core({ mode: 'cli', userDataDir: path.join(t.tmp, 'inspect') });
  try {
    await core.call('project:open', { path: project });
    return await work(core);
  } finally {
    await core.close();
  }
}

/**
 * Six 2-second videos at 25 fps (one automatic clip each), classes cat, dog, bird, and a finished
 * run predicting every clip; a person labelled v5, so review leaves it out.
 */
beforeAll(async () => {
  ensureCliBuilt();
  t = await openTestProject({ author: 'tester' });
  project = t.projectDir;
  for (let i = 0; i < 6; i++) addVideo(t, { path: videoPath(i), rate: '25/1', frames: 50 });
  const classes = [];
  for (const name of ['cat', 'dog', 'bird']) classes.push(await t.core.call('classes:create', { name }));
  const clips = (await t.core.call('clips:query', { limit: 100 })).items;
  const clipOf = (i: number) => clips.find((c) => c.videoId === i + 1)!.id;
  const probs = [
    [0.9, 0.05, 0.05],
    [0.4, 0.35, 0.25],
    [0.2, 0.7, 0.1],
    [0.5, 0.1, 0.4],
    [0.1, 0.1, 0.8],
    [0.6, 0.3, 0.1],
  ];
  const features = [[1, 0], [2, 0], [0, 2], [2, 0.01], [0, 1], [1, 1]];
  runId = addFinishedRun(
    t,
    classes.map((c) => ({ id: c.id, name: c.name })),
    // Penultimate features for BADGE: v1 and v3 look alike, the rest point elsewhere.
    probs.map((p, i) => ({ ...predictionRow(clipOf(i), p), features: features[i] ?? [] })),
  );
  await t.core.call('labels:set', { clipId: clipOf(5), classId: classes[1]!.id });
  await t.core.close();
}, 120_000);

afterAll(() => {
  fs.rmSync(t.tmp, { recursive: true, force: true });
});

describe('vssl review', () => {
  it('next prints the most useful pending clips first, as CSV or JSON', async () => {
    const next = JSON.parse(await ok('review', 'next', project, '--count', '2', '--json')) as NextReport;
    expect(next).toMatchObject({ runId, strategy: 'least-confidence', total: 5, pending: 5, humanLabelled: 1 });
    expect(next.items.map((i) => [path.basename(i.path), i.predicted, i.confidence])).toEqual([
      ['v1.mp4', 'cat', expect.closeTo(0.4, 6)],
      ['v3.mp4', 'cat', expect.closeTo(0.5, 6)],
    ]);
    expect(next.items[0]).toMatchObject({ path: videoPath(1), start: 0, end: 2, score: expect.closeTo(0.6, 6) });

    const text = await ok('review', 'next', project, '--strategy', 'confident', '--run', String(runId));
    expect(text).toBe(`path,start,end,predicted,confidence,score\n${videoPath(0)},0,2,cat,0.900000,0.900000\n`);
  });

  it('next --strategy badge puts the longest gradient embedding first and ranks every pending clip once', async () => {
    const next = JSON.parse(await ok('review', 'next', project, '--strategy', 'badge', '--count', '10', '--json')) as NextReport;
    expect(next).toMatchObject({ runId, strategy: 'badge', total: 5, pending: 5, humanLabelled: 1 });
    // v1: the least sure clip with the largest features, so the largest (p − onehot(ŷ)) ⊗ h.
    expect(path.basename(next.items[0]?.path ?? '')).toBe('v1.mp4');
    expect(next.items.map((i) => i.score)).toEqual([1, 0.8, 0.6, 0.4, 0.2].map((s): unknown => expect.closeTo(s, 9)));
    expect(new Set(next.items.map((i) => path.basename(i.path)))).toEqual(new Set(['v0.mp4', 'v1.mp4', 'v2.mp4', 'v3.mp4', 'v4.mp4']));
    // The same session seed, the same order.
    const again = JSON.parse(await ok('review', 'next', project, '--strategy', 'badge', '--count', '10', '--json')) as NextReport;
    expect(again.items.map((i) => i.clipId)).toEqual(next.items.map((i) => i.clipId));
    const text = await ok('review', 'next', project, '--strategy', 'badge');
    expect(text).toBe(`path,start,end,predicted,confidence,score\n${videoPath(1)},0,2,cat,0.400000,1.000000\n`);
  });

  it('apply applies every usable row through review and says why each other row was skipped', async () => {
    const file = path.join(t.media, 'decisions.csv');
    fs.writeFileSync(
      file,
      [
        'path,start,end,action,label',
        'v1.mp4,0,2,accept,',
        `${videoPath(3)},0.019,1.99,correct,Bird`,
        'v4.mp4,0,2,reject,',
        'v0.mp4,0,2,correct,',
        'v2.mp4,0.05,2,accept,',
        'v5.mp4,0,2,accept,',
        'nope.mp4,0,2,accept,',
        'v2.mp4,0,2,reject,unicorn',
        'v2.mp4,0,2,accept,cat',
        'v2.mp4,0,2,maybe,',
        'v2.mp4,0,2',
      ].join('\n'),
    );
    const report = JSON.parse(await ok('review', 'apply', project, file, '--json')) as ApplyReport;
    expect(report).toMatchObject({ runId, applied: 3, accepted: 1, corrected: 1, rejected: 1 });
    expect(report.skipped.map((s) => [s.line, s.reason])).toEqual([
      [5, 'malformed row: correct needs a label: the right class'],
      [6, `no clip of v2.mp4 from 0.05 s to 2 s (within half a frame) has a prediction of run ${runId}`],
      [7, expect.stringMatching(/^Clip \d+ \(v5\.mp4, 0\.00–2\.00 s\) was labelled “dog” by a person; review never changes that label$/)],
      [8, 'unknown video “nope.mp4”: no video in the project has this path or file name'],
      [9, 'unknown class “unicorn”'],
      [10, 'accept: the prediction is “dog”, not “cat” (use correct to give another class)'],
      [11, 'malformed row: action “maybe” is not one of accept, correct, reject'],
      [12, 'malformed row: expected 5 fields (path,start,end,action,label), found 3'],
    ]);

    // The decisions are in the project: labels with source review, and "not bird" on v4.
    const labels = await withProject(async (core) => {
      const classes = new Map((await core.call('classes:list', {})).map((c) => [c.id, c.name]));
      const clips = (await core.call('clips:query', { limit: 100 })).items;
      const page = await core.call('review:queue', { runId, strategy: 'least-confidence', limit: 100 });
      const rejected = page.items.find((i) => i.videoName === 'v4.mp4')?.rejectedClassIds.map((id) => classes.get(id));
      return {
        labels: clips.map((c) => `v${c.videoId - 1}:${c.classId === null ? '' : classes.get(c.classId)}:${c.labelSource ?? ''}`),
        rejected,
      };
    });
    expect(labels.labels).toEqual(['v0::', 'v1:cat:review', 'v2::', 'v3:bird:review', 'v4::', 'v5:dog:human']);
    expect(labels.rejected).toEqual(['bird']);

    const next = JSON.parse(await ok('review', 'next', project, '--count', '10', '--json')) as NextReport;
    expect(next).toMatchObject({ total: 5, pending: 2 });
    expect(next.items.map((i) => path.basename(i.path))).toEqual(['v2.mp4', 'v0.mp4']);

    const text = await ok('review', 'apply', project, file);
    expect(text.split('\n')[0]).toBe(`Applied 3 rows to run ${runId}: 1 accepted, 1 corrected, 1 rejected.`);
    expect(text).toContain('Skipped 8 rows:\n  line 5: malformed row: correct needs a label: the right class\n');
  });

  it('explains bad usage with exit code 2, and a run or file it cannot use with exit code 1', async () => {
    // Bad usage is refused before any project is opened (main turns a UsageError into exit code 2).
    const usage = async (...args: string[]) => {
      const err = await reviewCommand.run(args).then(() => null, (e: unknown) => e);
      expect(err, args.join(' ')).toBeInstanceOf(UsageError);
      return (err as UsageError).message;
    };
    expect(await usage('next', project, '--strategy', 'smart')).toBe(
      'review next: unknown strategy "smart" (one of least-confidence, margin, entropy, mc-std, bald, badge, random, confident).',
    );
    expect(await usage('next', project, '--run', 'latest')).toBe('review next: --run takes a run id, not "latest".');
    expect(await usage('apply', project)).toMatch(/missing the project folder DIR and the decisions FILE/);
    expect(await usage('next', project, '--colour')).toMatch(/^review next: Unknown option '--colour'/);
    expect(await usage()).toMatch(/say next or apply/);
    expect(await fails(2, 'review', 'next', project, '--count', '0')).toMatch(/--count must be a whole number from 1/);
    expect(await fails(1, 'review', 'next', project, '--run', '99')).toBe('vssl: there is no run 99 in this project.\n');

    const labels = path.join(t.media, 'labels.csv');
    fs.writeFileSync(labels, 'path,start,end,label\nv0.mp4,0,2,cat\n');
    expect(await fails(1, 'review', 'apply', project, labels)).toMatch(
      /Not a review decisions CSV file: the first line must be the header path,start,end,action/,
    );
    expect(await fails(1, 'review', 'apply', project, path.join(t.media, 'none.csv'))).toMatch(/does not exist/);

    await ok('init', 'empty');
    expect(await fails(1, 'review', 'next', 'empty')).toBe(
      'vssl: no finished run with predictions in this project: train one with "vssl train" first.\n',
    );
  });
});
