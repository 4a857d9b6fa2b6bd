import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejection } from '../../../../../tests/fixtures/api-rejection.js';
import { decodeFloat32 } from '../../../../shared/anomaly.js';
import { emptyFrameBoxes, setBoxAt } from '../../../../shared/anomaly-boxes.js';
import {
  addAnomalyRun,
  openAnomalyDataProject,
  saveScores,
  type AnomalyDataProject,
} from '../../../../../tests/fixtures/anomaly-data-project.js';

let p: AnomalyDataProject;
let runId: number;
let a: number;
let b: number;

beforeEach(async () => {
  p = await openAnomalyDataProject();
  a = p.addVideo({ path: '/v/a.mp4', frames: 3 });
  b = p.addVideo({ path: '/v/odd, "name".mp4', frames: 4, rate: '10/1', startTime: 1.5 });
  runId = addAnomalyRun(p.t);
});
afterEach(async () => {
  await p.dispose();
});

describe('anomaly:export', () => {
  it('writes path,frame,time,score,x,y,w,h for every scored video: times in seconds from the first frame, each frame’s top region', async () => {
    const boxes = emptyFrameBoxes(3);
    setBoxAt(boxes, 0, { x: 12, y: 40, w: 64, h: 64 });
    setBoxAt(boxes, 2, { x: 96, y: 0, w: 48, h: 48 });
    saveScores(p.t, runId, a, [0.1, 0.25, 1 / 3], undefined, 25, { width: 160, height: 120, frames: boxes });
    // Scored before boxes were kept: every box field is empty.
    saveScores(p.t, runId, b, [0, 2.5, -1, 1e-7], undefined, 10);
    const file = path.join(p.t.tmp, 'out', 'scores.csv');
    expect(await p.call('anomaly:export', { runId, file })).toEqual({ file, rows: 7 });
    expect(fs.readFileSync(file, 'utf8')).toBe(
      [
        'path,frame,time,score,x,y,w,h',
        '/v/a.mp4,0,0,0.1,12,40,64,64',
        // Frame 1 had no region.
        '/v/a.mp4,1,0.04,0.25,,,,',
        '/v/a.mp4,2,0.08,0.3333333,96,0,48,48',
        '"/v/odd, ""name"".mp4",0,0,0,,,,',
        '"/v/odd, ""name"".mp4",1,0.1,2.5,,,,',
        '"/v/odd, ""name"".mp4",2,0.2,-1,,,,',
        '"/v/odd, ""name"".mp4",3,0.3,1e-7,,,,',
        '',
      ].join('\n'),
    );
  });

  it('streams long videos in pieces and keeps every frame', async () => {
    const frames = 10_001;
    const long = p.addVideo({ path: '/v/long.mp4', frames });
    saveScores(p.t, runId, long, Array.from({ length: frames }, (_, i) => i / frames));
    const file = path.join(p.t.tmp, 'long.csv');
    expect((await p.call('anomaly:export', { runId, file })).rows).toBe(frames);
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(frames + 1);
    expect(lines[4097]).toBe(`/v/long.mp4,4096,163.84,${Number((4096 / frames).toPrecision(7))},,,,`);
    expect(lines.at(-1)).toBe(`/v/long.mp4,10000,400,${Number((10000 / frames).toPrecision(7))},,,,`);
  });

  it('refuses a run with no scores, a missing run and an unwritable target, leaving no partial file', async () => {
    const file = path.join(p.t.tmp, 'scores.csv');
    expect(await rejection(p.call('anomaly:export', { runId, file }))).toMatchObject({
      code: 'CONFLICT',
      message: `Anomaly run ${runId} has scored no video yet: score videos first, then export.`,
    });
    expect((await rejection(p.call('anomaly:export', { runId: runId + 1, file }))).code).toBe('NOT_FOUND');
    saveScores(p.t, runId, a, [0.1, 0.2, 0.3]);
    const folder = path.join(p.t.tmp, 'a-folder');
    fs.mkdirSync(folder);
    const error = await rejection(p.call('anomaly:export', { runId, file: folder }));
    expect(error.code).toBe('IO_ERROR');
    expect(error.message).toContain(`Cannot write ${folder}`);
    expect(fs.readdirSync(p.t.tmp).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('anomaly:scores and anomaly:videos', () => {
  it('sends a stored curve as base64 float32 and names what is missing', async () => {
    saveScores(p.t, runId, a, [0.1, 0.9, 0.5], { 'p-backward': [0, 0.6, 0.1] });
    const dto = await p.call('anomaly:scores', { runId, videoId: a });
    expect(dto).toMatchObject({ runId, videoId: a, frameCount: 3, fps: 25, regionsScored: 10, windows: { motion: 3, grid: 1 } });
    expect([...decodeFloat32(dto.scores)]).toEqual([...Float32Array.from([0.1, 0.9, 0.5])]);
    expect([...decodeFloat32(dto.perTask['p-backward'])]).toEqual([...Float32Array.from([0, 0.6, 0.1])]);
    expect(dto.min).toBeCloseTo(0.1, 6);
    expect(dto.max).toBeCloseTo(0.9, 6);
    expect(await rejection(p.call('anomaly:scores', { runId, videoId: b }))).toMatchObject({
      code: 'NOT_FOUND',
      message: `Anomaly run ${runId} has not scored odd, "name".mp4: score it first.`,
    });
    expect((await rejection(p.call('anomaly:scores', { runId, videoId: 999 }))).message).toBe('There is no video 999.');
    expect((await rejection(p.call('anomaly:scores', { runId: 999, videoId: a }))).message).toBe('There is no anomaly run 999.');
  });

  it('lists every video with its marks and, for a run, whether it is scored and its peak', async () => {
    saveScores(p.t, runId, b, [0.2, 0.7, 0.1, 0.3], undefined, 10);
    await p.call('anomaly:marks:add', { videoId: a, startFrame: 0, endFrame: 3, kind: 'normal' });
    await p.call('anomaly:marks:add', { videoId: b, startFrame: 0, endFrame: 1, kind: 'anomaly' });
    await p.call('anomaly:marks:add', { videoId: b, startFrame: 2, endFrame: 3, kind: 'anomaly' });
    const withRun = await p.call('anomaly:videos', { runId });
    expect(withRun).toEqual([
      { videoId: a, path: '/v/a.mp4', frameCount: 3, fps: 25, scored: false, max: null, marks: { anomaly: 0, normal: 1 } },
      {
        videoId: b,
        path: '/v/odd, "name".mp4',
        frameCount: 4,
        fps: 10,
        scored: true,
        max: expect.closeTo(0.7, 6),
        marks: { anomaly: 2, normal: 0 },
      },
    ]);
    expect((await p.call('anomaly:videos', {})).map((v) => v.scored)).toEqual([false, false]);
    expect((await rejection(p.call('anomaly:videos', { runId: 999 }))).code).toBe('NOT_FOUND');
  });
});
