import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejection } from '../../../../../tests/fixtures/api-rejection.js';
import {
  addAnomalyRun,
  openAnomalyDataProject,
  saveScores,
  type AnomalyDataProject,
} from '../../../../../tests/fixtures/anomaly-data-project.js';
import { NO_TRUTH_MESSAGE } from './run-truth.js';

let p: AnomalyDataProject;
let runId: number;
const ids: Record<'a' | 'b' | 'c' | 'd' | 'e', number> = { a: 0, b: 0, c: 0, d: 0, e: 0 };

const A_SCORES = [0.1, 0.4, 0.35, 0.8, 0.2, 0.9, 0.3, 0.5]; // truth: frames 3–5 anomalous
const A_TRUTH = [0, 0, 0, 1, 1, 1, 0, 0];
const B_SCORES = [0.5, 0.5, 0.1, 0.6, 0.2, 0.5]; // truth: frames 0–1 anomalous
const FLAT = [0.3, 0.3, 0.3, 0.3];

beforeEach(async () => {
  p = await openAnomalyDataProject();
  // a's probe promised 10 frames, but scoring decoded 8: truth and scores pair up over the 8.
  ids.a = p.addVideo({ path: '/v/a.mp4', frames: 10 });
  ids.b = p.addVideo({ path: '/v/b.mp4', frames: 6 });
  ids.c = p.addVideo({ path: '/v/c.mp4', frames: 4 });
  ids.d = p.addVideo({ path: '/v/d.mp4', frames: 4 });
  ids.e = p.addVideo({ path: '/v/e.mp4', frames: 10 });
  runId = addAnomalyRun(p.t);
  saveScores(p.t, runId, ids.a, A_SCORES, {
    'p-backward': A_TRUTH, // separates perfectly
    'p-irregular': A_TRUTH.map((t) => 1 - t), // exactly backwards
    'middle-frame-mae': A_SCORES.map(() => 0.25), // one tie: chance
  });
  saveScores(p.t, runId, ids.b, B_SCORES, {
    'p-backward': [1, 1, 0, 0, 0, 0],
    'p-irregular': [0, 0, 1, 1, 1, 1],
    'middle-frame-mae': B_SCORES.map(() => 0.25),
  });
  saveScores(p.t, runId, ids.c, FLAT, { 'p-backward': [0, 0, 0, 0], 'p-irregular': [1, 1, 1, 1], 'middle-frame-mae': [0.25, 0.25, 0.25, 0.25] });
  saveScores(p.t, runId, ids.d, FLAT, { 'p-backward': [0, 0, 0, 0], 'p-irregular': [1, 1, 1, 1], 'middle-frame-mae': [0.25, 0.25, 0.25, 0.25] });
});
afterEach(async () => {
  await p.dispose();
});

describe('anomaly:eval', () => {
  it('scores the run against the marks: micro, macro, per video and per task, as computed by hand', async () => {
    await p.call('anomaly:marks:add', { videoId: ids.a, startFrame: 3, endFrame: 6, kind: 'anomaly' });
    await p.call('anomaly:marks:add', { videoId: ids.a, startFrame: 0, endFrame: 10, kind: 'normal' });
    await p.call('anomaly:marks:add', { videoId: ids.b, startFrame: 0, endFrame: 2, kind: 'anomaly' });
    await p.call('anomaly:marks:add', { videoId: ids.c, startFrame: 0, endFrame: 4, kind: 'normal' }); // all normal
    await p.call('anomaly:marks:add', { videoId: ids.e, startFrame: 2, endFrame: 4, kind: 'anomaly' }); // not scored
    // d is scored but has no marks: not evaluated.

    const result = await p.call('anomaly:eval', { runId });
    expect(result.truth).toBe('marks');
    // a: anomalous 0.8, 0.2, 0.9 against normal 0.1, 0.4, 0.35, 0.3, 0.5 → (5 + 1 + 5) / 15.
    // b: anomalous 0.5, 0.5 against 0.1, 0.6, 0.2, 0.5 → each beats two and ties one: 2 · 2.5 / 8.
    expect(result.videos).toEqual([
      { videoId: ids.a, path: '/v/a.mp4', frames: 8, anomalousFrames: 3, auc: expect.closeTo(11 / 15, 12) },
      { videoId: ids.b, path: '/v/b.mp4', frames: 6, anomalousFrames: 2, auc: 0.625 },
      { videoId: ids.c, path: '/v/c.mp4', frames: 4, anomalousFrames: 0, auc: null },
    ]);
    expect(result.macro).toBeCloseTo((11 / 15 + 0.625) / 2, 12);
    // All 18 frames: anomalous 0.8 and 0.9 beat all 13 normal frames, 0.2 beats two 0.1s and ties
    // one 0.2 (2.5), each 0.5 beats ten and ties two (11): (13 + 13 + 2.5 + 22) / (5 · 13).
    expect(result.micro).toBeCloseTo(50.5 / 65, 12);
    // AUC-PR over the same 18 frames, thresholds high to low (5 anomalous): 0.9 → P 1, R .2; 0.8 → P 1,
    // R .4; 0.6 → no new anomaly; 0.5 (two anomalous, two normal) → P 4/7, R .8; 0.2 → P 5/16, R 1.
    expect(result.averagePrecision).toBeCloseTo(0.2 + 0.2 + 0.4 * (4 / 7) + 0.2 * (5 / 16), 6);
    // F1 = 2TP / (TP + FP + 5): 1/3, 4/7, 1/2, then 2/3 at 0.5 (TP 4, FP 3), the highest.
    expect(result.bestF1).toEqual({ threshold: 0.5, f1: expect.closeTo(2 / 3, 12), precision: expect.closeTo(4 / 7, 12), recall: 0.8 });
    expect(result.perTask).toEqual({ 'p-backward': 1, 'p-irregular': 0, 'middle-frame-mae': 0.5 });
    expect(result.unscored).toEqual([{ videoId: ids.e, path: '/v/e.mp4' }]);
  });

  it('scores the run against a truth csv: every scored video counts, all normal unless a row marks it', async () => {
    const csv = path.join(p.t.tmp, 'truth.csv');
    // 25 fps: frames 3–5 start at 0.12, 0.16, 0.2; b frames 0–1 at 0 and 0.04; e is not scored.
    fs.writeFileSync(csv, 'path,start,end\na.mp4,0.12,0.24\n/v/b.mp4,0,0.08\ne.mp4,0,0.2\n');
    const result = await p.call('anomaly:eval', { runId, truthFile: csv });
    expect(result.truth).toBe('file');
    expect(result.videos.map((v) => [v.path, v.frames, v.anomalousFrames])).toEqual([
      ['/v/a.mp4', 8, 3],
      ['/v/b.mp4', 6, 2],
      ['/v/c.mp4', 4, 0],
      ['/v/d.mp4', 4, 0],
    ]);
    // As above with d's four 0.3s among the normal frames too: (17 + 17 + 2.5 + 30) / (5 · 17).
    expect(result.micro).toBeCloseTo(66.5 / 85, 12);
    expect(result.macro).toBeCloseTo((11 / 15 + 0.625) / 2, 12);
    expect(result.unscored).toEqual([{ videoId: ids.e, path: '/v/e.mp4' }]);
    // The marks were not touched.
    expect(await p.call('anomaly:marks:list', {})).toEqual([]);
  });

  it('says where truth comes from when there is none, and names a missing run', async () => {
    expect(await rejection(p.call('anomaly:eval', { runId }))).toMatchObject({ code: 'CONFLICT', message: NO_TRUTH_MESSAGE });
    expect(NO_TRUTH_MESSAGE).toContain('mark events');
    expect(NO_TRUTH_MESSAGE).toContain('import a truth file');
    expect(await rejection(p.call('anomaly:eval', { runId: runId + 1 }))).toMatchObject({
      code: 'NOT_FOUND',
      message: `There is no anomaly run ${runId + 1}.`,
    });
    const nameless = await rejection(p.call('anomaly:eval', { runId, truthFile: path.join(p.t.tmp, 'zz.txt') }));
    expect(nameless.code).toBe('NOT_FOUND');
    expect(nameless.message).toContain('no video of the project is called zz.*');
  });

  it('takes a per-frame .txt named after its video (as public datasets ship truth), and checks its length', async () => {
    const truth = path.join(p.t.tmp, 'a.txt');
    fs.writeFileSync(truth, A_TRUTH.join('\n'));
    const result = await p.call('anomaly:eval', { runId, truthFile: truth });
    // Hand-computed: a's 3 anomalous frames score 0.8, 0.2, 0.9 against 0.1, 0.4, 0.35, 0.3, 0.5 → 11 of 15 pairs.
    expect(result).toMatchObject({ truth: 'file', micro: 11 / 15, macro: 11 / 15, perTask: { 'p-backward': 1, 'p-irregular': 0 } });
    expect(result.videos).toEqual([{ videoId: ids.a, path: '/v/a.mp4', frames: 8, anomalousFrames: 3, auc: 11 / 15 }]);
    fs.writeFileSync(truth, [...A_TRUTH, 0].join('\n'));
    expect(await rejection(p.call('anomaly:eval', { runId, truthFile: truth }))).toMatchObject({
      code: 'INVALID_PARAMS',
      message: 'a.txt has 9 frames of truth, but /v/a.mp4 was scored over 8 frames.',
    });
  });

  it('gives null AUCs when the evaluated frames hold one class, and lists truth the run did not score', async () => {
    await p.call('anomaly:marks:add', { videoId: ids.c, startFrame: 0, endFrame: 4, kind: 'normal' });
    await p.call('anomaly:marks:add', { videoId: ids.e, startFrame: 0, endFrame: 4, kind: 'anomaly' });
    const result = await p.call('anomaly:eval', { runId });
    expect(result).toMatchObject({ micro: null, macro: null, averagePrecision: null, bestF1: null, perTask: { 'p-backward': null, 'p-irregular': null } });
    expect(result.videos).toEqual([{ videoId: ids.c, path: '/v/c.mp4', frames: 4, anomalousFrames: 0, auc: null }]);
    expect(result.unscored).toEqual([{ videoId: ids.e, path: '/v/e.mp4' }]);
  });
});
