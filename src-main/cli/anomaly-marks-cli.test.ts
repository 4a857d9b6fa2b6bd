/** `vssl anomaly marks export` in a fresh process: the marks a person made, as csv and as json. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVideo } from '../../tests/fixtures/make-videos.js';
import { cliRunner } from '../../tests/fixtures/cli-runner.js';
import { ensureCliBuilt } from '../../tests/fixtures/run-cli.js';

let tmp: string;
let clip: string;
const project = 'project';
const { ok, fails } = cliRunner(() => tmp);

beforeAll(async () => {
  ensureCliBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-anomaly-marks-cli-'));
  clip = path.join(tmp, 'footage', 'gate.mp4');
  await makeVideo(clip, { seconds: 3, fps: '10', width: 80, height: 60, title: 'gate' });
  await ok('init', project);
  await ok('anomaly', 'mark', project, clip, '--kind', 'normal');
  await ok('anomaly', 'mark', project, clip, '--kind', 'anomaly', '--from', '1', '--to', '1.5');
}, 60_000);

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('vssl anomaly marks export', () => {
  it('writes the anomalous intervals as csv by default', async () => {
    expect(await ok('anomaly', 'marks', 'export', project, 'truth.csv')).toBe(
      `Wrote 1 anomaly mark(s) as csv to ${path.join(tmp, 'truth.csv')}.\n`,
    );
    expect(fs.readFileSync(path.join(tmp, 'truth.csv'), 'utf8')).toBe(`path,start,end\n${clip},1,1.5\n`);
  });

  it('writes every mark of both kinds as json', async () => {
    const report = JSON.parse(await ok('anomaly', 'marks', 'export', project, 'marks.json', '--format', 'json', '--json')) as unknown;
    expect(report).toEqual({ file: path.join(tmp, 'marks.json'), rows: 2, format: 'json' });
    const written = JSON.parse(fs.readFileSync(path.join(tmp, 'marks.json'), 'utf8')) as { marks: unknown[] };
    expect(written.marks).toEqual([
      expect.objectContaining({ path: clip, kind: 'normal', startFrame: 0, endFrame: 30, start: 0, end: 3 }),
      expect.objectContaining({ path: clip, kind: 'anomaly', startFrame: 10, endFrame: 15, start: 1, end: 1.5 }),
    ]);
  });

  it('is in the help, and says what is wrong with bad arguments', async () => {
    expect(await ok('anomaly', '--help')).toContain('vssl anomaly marks export DIR FILE [--format csv|json]');
    expect(await ok('anomaly', 'marks', 'export', '--help')).toContain('every mark of both kinds');
    expect(await fails(2, 'anomaly', 'marks', 'export', project, 'x.xml', '--format', 'xml')).toContain(
      'anomaly marks export: --format is csv or json, not "xml".',
    );
    expect(await fails(2, 'anomaly', 'marks', 'import', project)).toContain('unknown sub-command "import"');
    expect(await fails(2, 'anomaly', 'marks', 'export', project)).toContain('the project folder DIR and the FILE to write');
    expect(fs.existsSync(path.join(tmp, 'x.xml'))).toBe(false);
  });
});
