/**
 * `vssl anomaly …` in a fresh process on tiny generated videos: train on footage named normal,
 * score, export, evaluate against a truth file and against marks, and the ways it refuses.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVideo } from '../../tests/fixtures/make-videos.js';
import { cliRunner } from '../../tests/fixtures/cli-runner.js';
import { ensureCliBuilt } from '../../tests/fixtures/run-cli.js';
import type { AnomalyEvalDto } from '../shared/anomaly.js';
import type { ScoreReport } from './commands/anomaly-score.js';
import type { anomalyRunSummary } from './commands/anomaly-train.js';

let tmp: string;
let footage: string;
const project = 'project';
/** 3 s at 10 fps: 30 frames, enough for 7-frame windows. */
const FRAMES = 30;
const TINY = ['--epochs', '1', '--size', '16', '--width', '4', '--depth', '2', '--batch-size', '4', '--max-tubes', '8'];
const TINY_SCAN = ['--long-side', '80', '--window-stride', '4'];

const video = (name: string) => path.join(footage, name);

const { ok, fails } = cliRunner(() => tmp);

beforeAll(async () => {
  ensureCliBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-anomaly-cli-'));
  footage = path.join(tmp, 'footage');
  const spec = { seconds: 3, fps: '10', width: 80, height: 60 };
  await makeVideo(video('normal-0.mp4'), { ...spec, title: 'n0' });
  await makeVideo(video('normal-1.mp4'), { ...spec, title: 'n1' });
  await makeVideo(video('odd.mp4'), { ...spec, pattern: 'mandelbrot', title: 'odd' });
  await ok('init', project);
}, 60_000);

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('vssl anomaly', () => {
  it('trains on footage named normal, scores, exports and evaluates', async () => {
    // No footage marked normal yet: the core says so.
    const none = await fails(1, 'anomaly', 'train', project, ...TINY, ...TINY_SCAN);
    expect(none).toMatch(/^vssl: .*normal/i);

    const trained = JSON.parse(
      await ok('anomaly', 'train', project, '--normal', video('normal-0.mp4'), video('normal-1.mp4'), ...TINY, ...TINY_SCAN, '--json'),
    ) as ReturnType<typeof anomalyRunSummary>;
    expect(trained).toMatchObject({ status: 'succeeded', epochs: 1, hasModel: true, error: null });
    expect(trained.imported.sort()).toEqual([video('normal-0.mp4'), video('normal-1.mp4')]);
    expect(trained.normal).toEqual({ intervals: 2, videos: 2, frames: 2 * FRAMES });
    expect(trained.metrics?.loss).toBeGreaterThan(0);
    expect(trained.settings).toMatchObject({ size: 16, width: 4, depth: 2, maxTubes: 8, longSide: 80, sampleFps: 10, windowStrideSeconds: 0.2, windowStride: 4 });

    const scored = JSON.parse(
      await ok('anomaly', 'score', project, video('odd.mp4'), video('normal-1.mp4'), '--sigma', '2', '--json'),
    ) as ScoreReport;
    expect(scored).toMatchObject({ runId: trained.runId, threshold: 'mean+2std', imported: [video('odd.mp4')] });
    expect(scored.videos.map((v) => [v.path, v.frames])).toEqual([
      [video('odd.mp4'), FRAMES],
      [video('normal-1.mp4'), FRAMES],
    ]);
    const inPicture = (box: { x: number; y: number; w: number; h: number } | null) =>
      box !== null && box.x >= 0 && box.y >= 0 && box.w > 0 && box.h > 0 && box.x + box.w <= 80 && box.y + box.h <= 60;
    for (const v of scored.videos) {
      // Every frame is in some window's span, so every peak has its region's box, in the 80×60 video's pixels.
      expect(inPicture(v.peakBox)).toBe(true);
      for (const e of v.events) expect([inPicture(e.peakBox), inPicture(e.box)]).toEqual([true, true]);
      expect(v.peakScore).toBeGreaterThanOrEqual(v.mean);
      expect(v.threshold).toBeCloseTo(v.mean + 2 * v.std, 5);
      expect(v.events.length).toBeLessThanOrEqual(Math.min(5, v.eventCount));
      for (const e of v.events) {
        expect(e.peakScore).toBeGreaterThan(v.threshold);
        expect(e.start).toBeCloseTo(e.startFrame / 10, 6);
        expect(e.end).toBeCloseTo((e.endFrame + 1) / 10, 6);
        expect(e.duration).toBeCloseTo(e.end - e.start, 6);
      }
      // 10 fps footage: every frame kept; the stride the default 0.6 s, σ the 2 frames asked for.
      expect(v.sampling).toMatchObject({ fps: 10, frameStep: 1, sampledFps: 10, strideFrames: 6, strideSeconds: 0.6, sigmaFrames: 2, sigmaSeconds: 0.2 });
    }
    const text = await ok('anomaly', 'score', project, video('odd.mp4'), '--threshold=-1', '--events', '1');
    expect(text).toMatch(/^Scored 1 video\(s\) with anomaly run \d+ \(event threshold: -1\)\.\n/);
    // Every frame is above -1: one event over the whole video.
    expect(text).toContain(`odd.mp4: ${FRAMES} frames`);
    expect(text).toMatch(/\n {2}frames 0-29 \(0\.00-3\.00 s, 3\.00 s long\), peak /);
    expect(text).toContain('sampled every frame of 10 fps (10 fps), windows 0.6 s (6 frames) apart, σ 0.8 s (8 frames)');

    const csv = path.join(tmp, 'scores.csv');
    expect(await ok('anomaly', 'export', project, csv)).toBe(`Wrote ${2 * FRAMES} frame scores of anomaly run ${trained.runId} to ${csv}.\n`);
    const lines = fs.readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('path,frame,time,score,x,y,w,h');
    expect(lines).toHaveLength(1 + 2 * FRAMES);
    for (const line of lines.slice(1)) expect(line).toMatch(/^[^,]+,\d+,\d+(\.\d+)?,-?\d+(\.\d+)?(e-?\d+)?,\d+,\d+,\d+,\d+$/);

    // Truth file: an anomalous second in each scored video, so both have both classes.
    const truth = path.join(footage, 'truth.csv');
    fs.writeFileSync(truth, ['path,start,end', 'odd.mp4,1,2', 'normal-1.mp4,0.5,1.2', ''].join('\n'));
    const evaluated = JSON.parse(await ok('anomaly', 'eval', project, '--truth', truth, '--json')) as AnomalyEvalDto;
    expect(evaluated).toMatchObject({ runId: trained.runId, truth: 'file' });
    for (const value of [evaluated.micro, evaluated.macro]) {
      expect(value).not.toBeNull();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    const byPath = new Map(evaluated.videos.map((v) => [v.path, v]));
    expect(byPath.get(video('odd.mp4'))).toMatchObject({ frames: FRAMES, anomalousFrames: 10 });
    expect(byPath.get(video('normal-1.mp4'))).toMatchObject({ frames: FRAMES, anomalousFrames: 7 });
    // Flagging every frame gives F1 = 2A / (A + all frames): the best threshold does at least as well.
    const anomalous = 17;
    expect(evaluated.averagePrecision).toBeGreaterThan(0);
    expect(evaluated.averagePrecision).toBeLessThanOrEqual(1);
    expect(evaluated.bestF1?.f1).toBeGreaterThanOrEqual((2 * anomalous) / (anomalous + 2 * FRAMES) - 1e-12);
    expect(evaluated.bestF1?.recall).toBeGreaterThan(0);
    const report = await ok('anomaly', 'eval', project, '--truth', truth);
    expect(report).toMatch(/micro AUC [01]\.\d{4} {3}macro AUC [01]\.\d{4} {3}AUC-PR [01]\.\d{4}/);
    expect(report).toMatch(/best F1 [01]\.\d{4} at score ≥ -?\d\S* \(precision [01]\.\d{4}, recall [01]\.\d{4}\)/);
    expect(report).toMatch(/per task \(micro AUC\): Middle frame /);

    // Marks as truth: odd.mp4 gets an anomalous second; the normal videos are all normal.
    const mark = JSON.parse(
      await ok('anomaly', 'mark', project, video('odd.mp4'), '--from', '1', '--to', '2', '--kind', 'anomaly', '--json'),
    ) as { startFrame: number; endFrame: number; kind: string; start: number; end: number };
    expect(mark).toMatchObject({ startFrame: 10, endFrame: 20, kind: 'anomaly', start: 1, end: 2 });
    const fromMarks = JSON.parse(await ok('anomaly', 'eval', project, '--json')) as AnomalyEvalDto;
    expect(fromMarks.truth).toBe('marks');
    expect(fromMarks.micro).toBeGreaterThanOrEqual(0);
    expect(fromMarks.micro).toBeLessThanOrEqual(1);
    expect(fromMarks.unscored.map((v) => v.path)).toEqual([video('normal-0.mp4')]);

    const runs = await ok('anomaly', 'runs', project);
    expect(runs).toMatch(new RegExp(`^id .*\\n +${trained.runId} .* succeeded +1/1 +${2 * FRAMES} frames, 2 videos +yes +2\\n$`));
  }, 180_000);

  it('refuses bad usage with exit code 2 and a missing file or run with exit code 1', async () => {
    expect(await ok('anomaly', '--help')).toMatch(/vssl anomaly train DIR/);
    expect(await ok('--help')).toMatch(/vssl anomaly eval DIR --truth FILE/);
    expect(await fails(2, 'anomaly')).toMatch(/anomaly: say one of train, score/);
    expect(await fails(2, 'anomaly', 'dance', project)).toMatch(/unknown sub-command "dance"/);
    expect(await fails(2, 'anomaly', 'train', project, '--size', '20')).toMatch(/--size: The tube size must be a multiple/);
    expect(await fails(2, 'anomaly', 'train', project, '--epochs', 'many')).toMatch(/--epochs must be a number/);
    expect(await fails(2, 'anomaly', 'score', project)).toMatch(/missing the project folder DIR and at least one video PATH/);
    expect(await fails(2, 'anomaly', 'score', project, video('odd.mp4'), '--run', 'latest')).toMatch(/--run takes an anomaly run id/);
    expect(await fails(2, 'anomaly', 'mark', project, video('odd.mp4'))).toMatch(/--kind is required/);
    expect(await fails(1, 'anomaly', 'score', project, video('nowhere.mp4'))).toMatch(/nowhere\.mp4: no such file\./);
    expect(await fails(1, 'anomaly', 'score', project, video('odd.mp4'), '--run', '99'))
      .toMatch(/there is no anomaly run 99 in this project/);
    expect(await fails(1, 'anomaly', 'eval', project, '--truth', path.join(tmp, 'no-truth.csv'))).toMatch(/^vssl: .*no-truth\.csv/);
  });

  it('takes durations in seconds, with the frame flags as explicit overrides that win', async () => {
    const help = await ok('anomaly', 'score', '--help');
    expect(help).toMatch(/--sigma X +σ in video frames; wins over --sigma-seconds when both are given/);
    expect(help).toMatch(/--stride N +the same in video frames; wins over --stride-seconds when both are given/);
    const score = async (...flags: string[]) =>
      (JSON.parse(await ok('anomaly', 'score', project, video('odd.mp4'), ...flags, '--json')) as ScoreReport).videos[0]!.sampling;
    // Seconds alone: 0.3 s and 0.5 s at 10 fps.
    expect(await score('--stride-seconds', '0.3', '--sigma-seconds', '0.5')).toMatchObject({ strideFrames: 3, strideSeconds: 0.3, sigmaFrames: 5, sigmaSeconds: 0.5 });
    // Both: the frames win.
    expect(await score('--stride-seconds', '0.3', '--stride', '4', '--sigma-seconds', '0.5', '--sigma', '3')).toMatchObject({ strideFrames: 4, sigmaFrames: 3, sigmaSeconds: 0.3 });
    expect(await fails(2, 'anomaly', 'score', project, video('odd.mp4'), '--sigma-seconds=-1')).toMatch(/--sigma-seconds must be from 0 to 600, not "-1"/);
    expect(await fails(2, 'anomaly', 'score', project, video('odd.mp4'), '--stride-seconds', '0')).toMatch(/--stride-seconds must be above 0 and at most 60, not "0"/);
  });
});
