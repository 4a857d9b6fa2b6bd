import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, runCli, type CliRun } from '../../tests/fixtures/run-cli.js';
import { makeVideo } from '../../tests/fixtures/make-videos.js';
import type { LabelExportReport, LabelImportReport } from '../shared/dto.js';

let tmp: string;
let footage: string;

/** Runs the compiled CLI in a fresh process, with this test's folder as its working directory. */
function vssl(...args: string[]): Promise<CliRun> {
  return runCli(tmp, ...args);
}

async function ok(...args: string[]): Promise<string> {
  const run = await vssl(...args);
  expect(run.stderr, args.join(' ')).toBe('');
  expect(run.code, args.join(' ')).toBe(0);
  return run.stdout;
}

beforeAll(async () => {
  ensureCliBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-labels-cli-'));
  footage = path.join(tmp, 'footage');
  await makeVideo(path.join(footage, 'walk.mp4'), { seconds: 4 });
  await makeVideo(path.join(footage, 'clips', 'run, fast.mp4'), { seconds: 3, fps: '30000/1001', title: 'run' });
  for (const project of ['first', 'second']) {
    await ok('init', project);
    await ok('import', project, footage);
  }
}, 120_000);

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('vssl labels', () => {
  it('imports a file, exports it, and a fresh project imports the export to the same labels', async () => {
    const csv = path.join(footage, 'labels.csv');
    fs.writeFileSync(
      csv,
      [
        'path,start,end,label',
        'walk.mp4,0,2,walk',
        'walk.mp4,0.4,1.2,jump',
        '"clips/run, fast.mp4",1,2.5,',
        '"clips/run, fast.mp4",2.002,3.003,walk',
        'walk.mp4,3,5,walk',
        'nope.mp4,0,1,walk',
      ].join('\n'),
    );
    const dry = JSON.parse(await ok('labels', 'import', 'first', csv, '--format', 'csv', '--dry-run', '--json')) as LabelImportReport;
    expect(dry).toMatchObject({ dryRun: true, applied: 4, createdClips: 2, labelledClips: 3, createdClasses: ['walk', 'jump'] });

    const imported = await ok('labels', 'import', 'first', csv, '--format', 'csv');
    expect(imported).toBe(
      [
        'Imported 4 rows from labels.csv: 3 clips labelled, 2 segments created, 2 classes created (walk, jump).',
        'Skipped 2 rows:',
        "  line 6: out of range: ends at 5 s, past the video's end (4 s)",
        '  line 7: unknown video “nope.mp4”: no video in the project has this path or file name',
        '',
      ].join('\n'),
    );

    const out = path.join(tmp, 'out');
    const firstCsv = path.join(out, 'first.csv');
    const exported = JSON.parse(await ok('labels', 'export', 'first', firstCsv, '--format', 'csv', '--json')) as LabelExportReport;
    expect(exported).toMatchObject({ file: firstCsv, rows: 4, files: [firstCsv] });
    const tasks = path.join(out, 'tasks.json');
    expect(await ok('labels', 'export', 'first', tasks, '--format', 'labelstudio')).toContain(`Wrote 3 rows to ${tasks}.`);

    // A fresh project with the same videos: Label Studio brings back the labels (not the
    // unlabelled segment), then our CSV brings back everything, exactly.
    const labelled = (file: string) =>
      fs.readFileSync(file, 'utf8').split('\n').filter((line) => line !== '' && !line.endsWith(','));
    await ok('labels', 'import', 'second', tasks, '--format', 'labelstudio');
    const secondCsv = path.join(out, 'second.csv');
    await ok('labels', 'export', 'second', secondCsv, '--format', 'csv');
    expect(labelled(secondCsv)).toEqual(labelled(firstCsv));
    expect(labelled(firstCsv)).toHaveLength(1 + 3);

    const again = JSON.parse(await ok('labels', 'import', 'second', firstCsv, '--format', 'csv', '--json')) as LabelImportReport;
    expect(again).toMatchObject({ applied: 4, createdClips: 1, labelledClips: 0, skipped: [] });
    await ok('labels', 'export', 'second', secondCsv, '--format', 'csv');
    expect(fs.readFileSync(secondCsv, 'utf8')).toBe(fs.readFileSync(firstCsv, 'utf8'));
  });

  it('exits 1 when every row was skipped, still printing why each was', async () => {
    const csv = path.join(footage, 'all-refused.csv');
    fs.writeFileSync(csv, ['path,start,end,label', 'nope.mp4,0,1,walk', 'walk.mp4,3,9,walk'].join('\n'));
    const run = await vssl('labels', 'import', 'first', csv, '--format', 'csv');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        'Imported 0 rows from all-refused.csv: 0 clips labelled, 0 segments created.',
        'Skipped 2 rows:',
        '  line 2: unknown video “nope.mp4”: no video in the project has this path or file name',
        "  line 3: out of range: ends at 9 s, past the video's end (4 s)",
        '',
      ].join('\n'),
    );
    expect(run.stderr).toBe('vssl: no labels were imported: all 2 rows were skipped.\n');
  });

  it('exits 1 for a file it cannot read as that format, 2 for bad usage, each with one line', async () => {
    const notCsv = path.join(tmp, 'not.csv');
    fs.writeFileSync(notCsv, '{"database": {}}\n');
    const refused = await vssl('labels', 'import', 'first', notCsv, '--format', 'csv');
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toMatch(/^vssl: Not a VSSL label CSV file: the first line must be the header path,start,end,label/);
    const missing = await vssl('labels', 'import', 'first', path.join(tmp, 'gone.json'), '--format', 'activitynet');
    expect(missing).toMatchObject({ code: 1, stderr: `vssl: The label file ${path.join(tmp, 'gone.json')} does not exist.\n` });

    const usage = [
      ['labels', 'frobnicate'],
      ['labels', 'import', 'first', notCsv],
      ['labels', 'import', 'first', notCsv, '--format', 'excel'],
      ['labels', 'import', 'first', notCsv, '--format', 'csv', '--fps', '25'],
      ['labels', 'export', 'first', notCsv, '--format', 'kinetics', '--classes', 'c.txt'],
    ];
    const runs = await Promise.all(usage.map((args) => vssl(...args)));
    for (const [i, run] of runs.entries()) {
      const args = usage[i]!.join(' ');
      expect(run.code, args).toBe(2);
      expect(run.stdout, args).toBe('');
      expect(run.stderr, args).toMatch(/^vssl: [^\n]+\n$/);
    }
    const help = await vssl('labels', 'import', '--help');
    expect(help.stdout).toContain('--no-new-classes');
    expect(help.stdout).toContain('labelstudio');
  });
});
