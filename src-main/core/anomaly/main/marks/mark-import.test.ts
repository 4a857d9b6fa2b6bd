import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejection } from '../../../../../tests/fixtures/api-rejection.js';
import { openAnomalyDataProject, type AnomalyDataProject } from '../../../../../tests/fixtures/anomaly-data-project.js';

const PYTHON = '/usr/bin/python3';
const hasNumpy = fs.existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

let p: AnomalyDataProject;
let a: number;
let b: number;
let ntsc: number;

const file = (name: string, text?: string): string => {
  const full = path.join(p.t.tmp, name);
  if (text !== undefined) fs.writeFileSync(full, text);
  return full;
};

/** Marks as `name:kind:source:start-end`, in order. */
async function marks(): Promise<string[]> {
  const names = new Map([
    [a, 'a'],
    [b, 'b'],
    [ntsc, 'ntsc'],
  ]);
  return (await p.call('anomaly:marks:list', {})).map(
    (m) => `${names.get(m.videoId)}:${m.kind}:${m.source}:${m.startFrame}-${m.endFrame}`,
  );
}

beforeEach(async () => {
  p = await openAnomalyDataProject();
  a = p.addVideo({ path: '/footage/day1/a.mp4', frames: 100 }); // 25 fps: 4 s
  b = p.addVideo({ path: '/footage/day1/b.mp4', frames: 50, rate: '10/1' }); // 5 s
  ntsc = p.addVideo({ path: '/footage/day2/ntsc.mp4', frames: 300, rate: '30000/1001' });
  p.addVideo({ path: '/footage/day1/same.mp4', frames: 10 });
  p.addVideo({ path: '/footage/day2/same.mp4', frames: 10 });
  p.addVideo({ path: '/footage/day2/unprobed.mp4', frames: 0 });
});
afterEach(async () => {
  await p.dispose();
});

describe('importing ground truth as marks', () => {
  it('reads a csv of intervals in seconds, matching by path or unique file name, and reports the rows it skipped', async () => {
    const csv = file(
      'truth.csv',
      [
        'path,start,end',
        '/footage/day1/a.mp4,0.4,0.8', // frames 10–19
        'a.mp4,0.8,1.2', // by file name; touches the row above: one mark 10–29
        'b.mp4,1.0,1.5', // frames 10–14
        'ntsc.mp4,1.001,2.002', // frames 30–59
        'elsewhere/missing.mp4,1,2',
        'same.mp4,0,0.1',
        'unprobed.mp4,0,1',
      ].join('\n'),
    );
    const report = await p.call('anomaly:marks:import', { file: csv });
    expect(report.marks).toBe(3);
    expect(report.videos).toBe(3);
    expect(report.skipped).toEqual([
      { row: 'line 6: elsewhere/missing.mp4', reason: 'no video of the project has this path or file name' },
      { row: 'line 7: same.mp4', reason: expect.stringContaining('could be any of /footage/day1/same.mp4, /footage/day2/same.mp4') },
      { row: 'line 8: unprobed.mp4', reason: 'unprobed.mp4: its frame count is unknown (the probe found none)' },
    ]);
    expect(await marks()).toEqual(['a:anomaly:import:10-30', 'b:anomaly:import:10-15', 'ntsc:anomaly:import:30-60']);
    expect(p.markEvents.at(-1)).toEqual({ videoIds: [a, b, ntsc] });

    // Importing the same truth again changes nothing; one undo takes the first import back whole.
    const history = await p.t.core.call('history:list', { limit: 10 });
    expect(history.map((h) => h.description)).toEqual(['Import ground truth from truth.csv (3 intervals on 3 videos)']);
    await p.call('anomaly:marks:import', { file: csv });
    expect(await p.t.core.call('history:list', { limit: 10 })).toHaveLength(1);
    await p.t.core.call('history:undo', {});
    expect(await marks()).toEqual([]);
  });

  it('refuses a malformed csv whole, naming its lines, and writes nothing', async () => {
    const bad = file('bad.csv', 'path,start,end\na.mp4,2,1\nb.mp4,x,3\n');
    const error = await rejection(p.call('anomaly:marks:import', { file: bad }));
    expect(error.code).toBe('INVALID_PARAMS');
    expect(error.message).toBe('bad.csv has problems: line 2: end 1 is not after start 2; line 3: start “x” is not a number.');
    const header = await rejection(p.call('anomaly:marks:import', { file: file('header.csv', 'video,from,to\n') }));
    expect(header.message).toContain('the first line must be the header path,start,end');
    expect(await marks()).toEqual([]);
    expect((await rejection(p.call('anomaly:marks:import', { file: file('nope.csv') }))).code).toBe('NOT_FOUND');
    const withVideo = await rejection(p.call('anomaly:marks:import', { file: file('x.csv', 'path,start,end\n'), videoId: a }));
    expect(withVideo.message).toContain('names its videos in its path column');
    const json = await rejection(p.call('anomaly:marks:import', { file: file('truth.json', '{}') }));
    expect(json.code).toBe('UNSUPPORTED');
  });

  it('reads per-frame 0/1 text for one video: runs of 1s become marks', async () => {
    const frames = Array.from({ length: 50 }, (_, i) => (i < 3 || (i >= 20 && i < 25) || i === 49 ? 1 : 0));
    const txt = file('b.txt', frames.join('\n'));
    const report = await p.call('anomaly:marks:import', { file: txt, videoId: b });
    expect(report).toEqual({ marks: 3, videos: 1, skipped: [] });
    expect(await marks()).toEqual(['b:anomaly:import:0-3', 'b:anomaly:import:20-25', 'b:anomaly:import:49-50']);
    expect((await p.t.core.call('history:list', { limit: 1 }))[0]?.description).toBe(
      'Import ground truth from b.txt onto b.mp4',
    );

    const short = await rejection(p.call('anomaly:marks:import', { file: file('short.txt', '0 1 1'), videoId: b }));
    expect(short.message).toBe('short.txt has 3 frame values but the video has 50 frames.');
    const noVideo = await rejection(p.call('anomaly:marks:import', { file: txt }));
    expect(noVideo.message).toBe('b.txt holds per-frame truth of one video: choose the video it belongs to.');

    const allNormal = await p.call('anomaly:marks:import', { file: file('zeros.txt', '0 '.repeat(100)), videoId: a });
    expect(allNormal.marks).toBe(0);
    expect(allNormal.skipped[0]?.reason).toContain('marks no frame of a.mp4 anomalous');
  });

  it.skipIf(!hasNumpy)('reads a per-frame .npy written by numpy', async () => {
    const npy = file('a.npy');
    const script = 'import numpy as np, sys; t = np.zeros(100, dtype=bool); t[40:60] = True; t[90:] = True; np.save(sys.argv[1], t)';
    execFileSync(PYTHON, ['-c', script, npy]);
    const report = await p.call('anomaly:marks:import', { file: npy, videoId: a });
    expect(report).toEqual({ marks: 2, videos: 1, skipped: [] });
    expect(await marks()).toEqual(['a:anomaly:import:40-60', 'a:anomaly:import:90-100']);

    const wrong = file('wrong.npy');
    execFileSync(PYTHON, ['-c', 'import numpy as np, sys; np.save(sys.argv[1], np.ones(99, dtype=np.float32))', wrong]);
    const error = await rejection(p.call('anomaly:marks:import', { file: wrong, videoId: a }));
    expect(error).toMatchObject({ code: 'INVALID_PARAMS', message: 'wrong.npy has 99 frame values but the video has 100 frames.' });
  });
});

describe('exporting anomaly marks', () => {
  it('writes csv path,start,end in seconds that imports back onto the same frames', async () => {
    await p.call('anomaly:marks:add', { videoId: a, startFrame: 10, endFrame: 30, kind: 'anomaly' });
    await p.call('anomaly:marks:add', { videoId: a, startFrame: 0, endFrame: 100, kind: 'normal' });
    await p.call('anomaly:marks:add', { videoId: b, startFrame: 0, endFrame: 1, kind: 'anomaly' });
    await p.call('anomaly:marks:add', { videoId: ntsc, startFrame: 31, endFrame: 299, kind: 'anomaly' });
    const out = file('out/marks.csv');
    expect(await p.call('anomaly:marks:export', { file: out })).toEqual({ file: out, rows: 3 });
    // Only anomaly marks: the truth. Videos in name order (a, b, ntsc).
    expect(fs.readFileSync(out, 'utf8')).toBe(
      ['path,start,end', '/footage/day1/a.mp4,0.4,1.2', '/footage/day1/b.mp4,0,0.1', '/footage/day2/ntsc.mp4,1.034367,9.976633', ''].join(
        '\n',
      ),
    );

    const before = await marks();
    for (const m of await p.call('anomaly:marks:list', { kind: 'anomaly' })) await p.call('anomaly:marks:delete', { id: m.id });
    const report = await p.call('anomaly:marks:import', { file: out });
    expect(report).toMatchObject({ marks: 3, videos: 3, skipped: [] });
    expect((await marks()).map((m) => m.replace(':import:', ':human:'))).toEqual(before);
  });

  it('writes json of every mark of both kinds with frames and seconds, and refuses an unknown format', async () => {
    await p.call('anomaly:marks:add', { videoId: b, startFrame: 10, endFrame: 15, kind: 'anomaly' });
    await p.call('anomaly:marks:add', { videoId: a, startFrame: 0, endFrame: 100, kind: 'normal' });
    const out = file('marks.json');
    expect(await p.call('anomaly:marks:export', { file: out, format: 'json' })).toEqual({ file: out, rows: 2 });
    const written = JSON.parse(fs.readFileSync(out, 'utf8')) as { marks: Record<string, unknown>[] };
    expect(written.marks).toEqual([
      expect.objectContaining({ path: '/footage/day1/a.mp4', kind: 'normal', source: 'human', startFrame: 0, endFrame: 100, start: 0, end: 4 }),
      expect.objectContaining({ path: '/footage/day1/b.mp4', kind: 'anomaly', source: 'human', startFrame: 10, endFrame: 15, start: 1, end: 1.5 }),
    ]);
    const error = await rejection(p.call('anomaly:marks:export', { file: out, format: 'xml' as 'json' }));
    expect(error).toMatchObject({ code: 'INVALID_PARAMS', message: expect.stringContaining('The format is one of csv, json.') });
  });
});
