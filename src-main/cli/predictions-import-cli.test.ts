import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../tests/fixtures/cli-runner.js';
import { makeVideo } from '../../tests/fixtures/make-videos.js';
import { ensureCliBuilt } from '../../tests/fixtures/run-cli.js';
import type { PredictionImportReport } from '../shared/run-dto.js';
import type { NextReport } from './commands/review-next.js';

let tmp: string;
let footage: string;
const project = 'project';
const { ok, exits, fails } = cliRunner(() => tmp);

function write(name: string, lines: string[]): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Two real 4-second videos (two clips each); a person labelled the first clip of walk.mp4. */
beforeAll(async () => {
  ensureCliBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-predictions-import-cli-'));
  footage = path.join(tmp, 'footage');
  await makeVideo(path.join(footage, 'walk.mp4'), { seconds: 4, fps: '10', width: 64, height: 48, title: 'w' });
  await makeVideo(path.join(footage, 'v_run.mp4'), { seconds: 4, fps: '10', width: 64, height: 48, title: 'r' });
  await ok('init', project);
  await ok('import', project, footage);
  const labels = write('labels.csv', ['path,start,end,label', 'footage/walk.mp4,0,2,walk', 'footage/v_run.mp4,2,4,run']);
  await ok('labels', 'import', project, labels, '--format', 'csv');
}, 120_000);

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('vssl predictions import', () => {
  it('imports what it can, lists every entry it skipped with the reason, and the run is reviewed', async () => {
    const file = write('predictions.csv', [
      'path,start,end,label,confidence',
      'footage/walk.mp4,0,2,run,0.8',
      'footage/walk.mp4,2,4,Walk,0.6',
      'footage/walk.mp4,3,9,walk,0.6',
      'elsewhere/v_run.mp4,0,2,Dance,0.9',
      'footage/gone.mp4,0,2,walk,0.5',
    ]);
    const out = await ok('predictions', 'import', project, file, '--format', 'csv');
    expect(out).toContain('Imported 2 predictions (from 2 entries) as run 1 (Imported predictions.csv).');
    expect(out).toContain('Skipped 3 entries:');
    expect(out).toContain("  line 4: out of range: ends at 9 s, past the video's end (4 s)");
    expect(out).toContain('  line 5: unknown class “Dance”: the project has no class of that name (create it, or import with create classes)');
    expect(out).toContain('  line 6: unknown video “footage/gone.mp4”: no video in the project has this path or file name');
    expect(out).toContain('Unknown classes: Dance (create them, rename them in the file, or pass --create-classes).');
    expect(out).toContain('Note: 1 of the 2 clips already has a label: labels stay, and review leaves those clips out.');

    // The clip a person labelled "walk" keeps its label; the other clip is the one pseudo-label to review.
    const next = JSON.parse(await ok('review', 'next', project, '--run', '1', '--count', '5', '--json')) as NextReport;
    expect(next.items.map((i) => [path.basename(i.path), i.start, i.predicted, i.confidence])).toEqual([['walk.mp4', 2, 'walk', 0.6]]);
    const labels = path.join(tmp, 'labels-after.csv');
    await ok('labels', 'export', project, labels, '--format', 'csv');
    expect(fs.readFileSync(labels, 'utf8')).toContain('footage/walk.mp4,0,2,walk');

    expect(await fails(1, 'predict', project, '--run', '1')).toContain(
      'Run 1 was imported from predictions.csv: it has predictions to review but no model or training settings.',
    );
  });

  it('creates unknown classes with --create-classes and reports as JSON', async () => {
    const file = write('results.json', [JSON.stringify({ results: { run: [{ label: 'Dance', score: 0.4, segment: [0, 2] }] } })]);
    const report = JSON.parse(
      await ok('predictions', 'import', project, file, '--format', 'activitynet', '--create-classes', '--name', 'external', '--json'),
    ) as PredictionImportReport;
    expect(report).toMatchObject({ createdClasses: ['Dance'], clips: 1, skipped: [], run: { name: 'external', origin: 'imported' } });
  });

  it('exits 1 when nothing was imported, and 2 for bad usage', async () => {
    const file = write('nothing.csv', ['path,start,end,label,confidence', 'footage/walk.mp4,0,2,walk,1.2']);
    const run = await exits(1, 'predictions', 'import', project, file, '--format', 'csv');
    expect(run.stdout).toContain('  line 2: confidence 1.2 is not in 0..1');
    expect(run.stderr).toBe('vssl: no predictions were imported: its only entry was skipped.\n');
    expect(await fails(2, 'predictions', 'import', project, file)).toContain('--format is required (csv, activitynet, labelstudio)');
    expect(await fails(2, 'predictions', 'import', project, file, '--format', 'csv', '--fps', '25')).toContain(
      '--fps applies to --format labelstudio only',
    );
    const labelsFile = write('labels-only.csv', ['path,start,end,label', 'footage/walk.mp4,0,2,walk']);
    expect(await fails(1, 'predictions', 'import', project, labelsFile, '--format', 'csv')).toContain(
      'the first line must be the header path,start,end,label,confidence',
    );
    expect(await ok('predictions', 'import', '--help')).toContain('a segment covers every clip it overlaps by at least\nhalf of the clip');
  });
});
