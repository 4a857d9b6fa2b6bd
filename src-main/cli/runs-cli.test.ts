import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVideo } from '../../tests/fixtures/make-videos.js';
import { cliRunner } from '../../tests/fixtures/cli-runner.js';
import { ensureCliBuilt } from '../../tests/fixtures/run-cli.js';
import { Core } from '../core/core.js';
import type { RunEvaluationDto } from '../shared/run-evaluation.js';
import type { runSummary } from './commands/train.js';

let tmp: string;
const project = 'project';
const TINY = ['--frames', '4', '--size', '16', '--width', '4', '--depth', '1', '--batch-size', '2'];

const { ok, fails } = cliRunner(() => tmp);

type Shown = ReturnType<typeof runSummary> & { evaluation: RunEvaluationDto };

/** Four labelled videos (one clip each) of two kinds of footage; half of each class is held out to validate. */
beforeAll(async () => {
  ensureCliBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-runs-cli-'));
  const footage = path.join(tmp, 'footage');
  const lines = ['path,start,end,label'];
  for (let i = 0; i < 4; i++) {
    await makeVideo(path.join(footage, `card-${i}.mp4`), { seconds: 2, fps: '10', width: 48, height: 32, title: `c${i}` });
    await makeVideo(path.join(footage, `fractal-${i}.mp4`), { seconds: 2, fps: '10', width: 48, height: 32, pattern: 'mandelbrot', title: `f${i}` });
    lines.push(`card-${i}.mp4,0,2,card`, `fractal-${i}.mp4,0,2,fractal`);
  }
  fs.writeFileSync(path.join(footage, 'labels.csv'), lines.join('\n'));
  await ok('init', project);
  await ok('import', project, footage);
  await ok('labels', 'import', project, path.join(footage, 'labels.csv'), '--format', 'csv');
}, 120_000);

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('per-class evaluation of a run: vssl train --json, vssl runs list|show', () => {
  let trained: Shown;

  it('vssl train --json gives the final model\'s confusion matrix and per-class scores on the validation split', async () => {
    trained = JSON.parse(await ok('train', project, '--method', 'supervised', '--epochs', '1', '--validation', '0.5', ...TINY, '--json')) as Shown;
    expect(trained.status).toBe('succeeded');
    const e = trained.evaluation;
    if (!e.computed) throw new Error(`not computed: ${e.reason}`);
    expect(e.classes.map((c) => c.name)).toEqual(['card', 'fractal']);
    expect(e.total).toBe(4);
    expect(e.matrix.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([2, 2]); // rows are the true class
    expect(e.perClass.map((c) => c.support)).toEqual([2, 2]);
    const correct = (e.matrix[0]?.[0] ?? 0) + (e.matrix[1]?.[1] ?? 0);
    expect(e.accuracy).toBe(correct / 4);
    // The same model and clips as the last epoch's validation: the same accuracy.
    expect(e.accuracy).toBeCloseTo(trained.metrics?.validationAccuracy ?? -1, 6);
    e.perClass.forEach((c, i) => {
      const tp = e.matrix[i]?.[i] ?? 0;
      expect(c.predicted).toBe((e.matrix[0]?.[i] ?? 0) + (e.matrix[1]?.[i] ?? 0));
      expect(c.recall).toBe(tp / 2);
      expect(c.precision).toBe(c.predicted === 0 ? null : tp / c.predicted);
    });
  }, 180_000);

  it('vssl runs show prints the matrix and the per-class table, and --json gives what train gave', async () => {
    const text = await ok('runs', 'show', project, String(trained.runId));
    expect(text).toContain(`Run ${trained.runId} (supervised) succeeded`);
    expect(text).toContain('Confusion matrix (rows: true class, columns: predicted):');
    expect(text).toMatch(/true \\ predicted\s+card\s+fractal\n/);
    expect(text).toMatch(/\ncard\s+\d\s+\d\n/);
    expect(text).toMatch(/class\s+precision\s+recall\s+f1\s+support\n/);
    expect(text).toMatch(/\nmacro avg\s+(\d\.\d{3}|—)\s+\d\.\d{3}\s+\d\.\d{3}\s+4\n/);
    expect(text).toMatch(/\nweighted avg\s/);
    const json = JSON.parse(await ok('runs', 'show', project, String(trained.runId), '--json')) as Shown;
    expect(json.evaluation).toEqual(trained.evaluation);

    const list = await ok('runs', 'list', project);
    expect(list).toMatch(/^id\s+name\s+method\s+status\s+epochs\s+val accuracy\s+macro F1\n/);
    expect(list).toMatch(new RegExp(`\\n\\s*${trained.runId}\\s+.*supervised\\s+succeeded\\s+1/1\\s+\\d\\.\\d{3}\\s+`));
  });

  it('lists the clips of each cell through the API, and names a class that is not the run\'s', async () => {
    const core = new Core({ mode: 'cli', userDataDir: path.join(tmp, 'user') });
    try {
      await core.call('project:open', { path: path.join(tmp, project) });
      const e = await core.call('runs:evaluation', { id: trained.runId });
      if (!e.computed) throw new Error('not computed');
      const [card, fractal] = e.classes;
      if (!card || !fractal) throw new Error('two classes expected');
      for (const [i, truth] of [card, fractal].entries()) {
        for (const [j, predicted] of [card, fractal].entries()) {
          const clips = await core.call('runs:evaluation:clips', { id: trained.runId, trueClassId: truth.id, predictedClassId: predicted.id });
          expect(clips).toHaveLength(e.matrix[i]?.[j] ?? -1);
          for (const clip of clips) {
            expect(clip).toMatchObject({ trueClassId: truth.id, predictedClassId: predicted.id });
            expect(clip.videoName.startsWith(truth.name)).toBe(true);
          }
        }
      }
      await expect(core.call('runs:evaluation:clips', { id: trained.runId, trueClassId: 999, predictedClassId: card.id })).rejects.toThrow(
        /Class 999 is not one of run \d+'s classes/,
      );
    } finally {
      await core.close();
    }
  });

  it('says a run trained before this version has no evaluation, and explains a bad run id', async () => {
    const db = new Database(path.join(tmp, project, 'project.vssl'));
    try {
      // What a project from before the migration holds: the column exists but the run was never evaluated.
      db.prepare('UPDATE runs SET evaluated_at = NULL WHERE id = ?').run(trained.runId);
      db.prepare('DELETE FROM run_validation WHERE run_id = ?').run(trained.runId);
    } finally {
      db.close();
    }
    expect(await ok('runs', 'show', project, String(trained.runId))).toContain(
      'Per-class evaluation: Not computed for runs trained before this version',
    );
    const json = JSON.parse(await ok('runs', 'show', project, String(trained.runId), '--json')) as Shown;
    expect(json.evaluation).toMatchObject({ computed: false, reason: expect.stringMatching(/before this version/) });
    expect(await fails(2, 'runs', 'show', project, 'seven')).toMatch(/run id is a whole number, not "seven"/);
    expect(await fails(1, 'runs', 'show', project, '999')).toMatch(/There is no training run 999/);
    expect(await fails(2, 'runs', 'drop', project)).toMatch(/unknown action "drop"/);
    expect(await ok('--help')).toContain('vssl runs show DIR ID');
    expect(await ok('runs', '--help')).toMatch(/"—" marks a score that is\s+undefined/);
  });
});
