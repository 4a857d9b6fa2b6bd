import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, runCli, type CliRun } from '../../tests/fixtures/run-cli.js';
import { makeVideo } from '../../tests/fixtures/make-videos.js';
import { resolveMediaTools } from '../core/media/media-tools.js';
import { gatherTrainingDataset } from '../core/classify/main/training-dataset.js';
import { projectFile } from '../core/project/project-files.js';
import { defaultTrainSettings } from '../shared/training.js';
import type { DatasetExportSummary } from '../shared/dataset-export.js';

let tmp: string;
let footage: string;
const tools = resolveMediaTools();

function vssl(...args: string[]): Promise<CliRun> {
  return runCli(tmp, ...args);
}

async function ok(...args: string[]): Promise<string> {
  const run = await vssl(...args);
  expect(run.stderr, args.join(' ')).toBe('');
  expect(run.code, args.join(' ')).toBe(0);
  return run.stdout;
}

async function exportJson(...args: string[]): Promise<DatasetExportSummary> {
  return JSON.parse(await ok('dataset', 'export', ...args, '--json')) as DatasetExportSummary;
}

/** Frames in a file by ffprobe's count of its video packets. */
function frameCount(file: string): number {
  const out = execFileSync(tools.ffprobe, ['-v', 'error', '-select_streams', 'V:0', '-count_packets', '-show_entries',
    'stream=nb_read_packets', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return Number.parseInt(out.trim(), 10);
}

function lines(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
}

interface CsvClip {
  file: string;
  split: string;
  labelIndex: number;
  video: string;
  start: number;
  end: number;
}

/** clips.csv (no field here holds a comma). */
function clipsCsv(dir: string): CsvClip[] {
  return lines(path.join(dir, 'clips.csv'))
    .slice(1)
    .map((line) => {
      const f = line.split(',');
      return { file: f[0]!, split: f[1]!, labelIndex: Number(f[2]), video: f[5]!, start: Number(f[6]), end: Number(f[7]) };
    });
}

/** Per clip (video|start|end), the split a training run of the app gives it. */
function appSplit(project: string): Map<string, string> {
  const db = new Database(projectFile(path.resolve(tmp, project)), { readonly: true });
  try {
    const dataset = gatherTrainingDataset(db, defaultTrainSettings('supervised'));
    const key = (c: { clip: { videoPath: string; startFrame: number; endFrame: number } }) =>
      `${c.clip.videoPath}|${c.clip.startFrame}|${c.clip.endFrame}`;
    return new Map([...dataset.train.map((c) => [key(c), 'train'] as const), ...dataset.validation.map((c) => [key(c), 'val'] as const)]);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  ensureCliBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-dataset-cli-'));
  footage = path.join(tmp, 'footage');
  // A keyframe every second: clips on whole seconds of a.mp4 are stream-copied, the others re-encoded.
  await makeVideo(path.join(footage, 'a.mp4'), { seconds: 4, gop: 25 });
  await makeVideo(path.join(footage, 'b.mp4'), { seconds: 3, fps: '30000/1001', gop: 30, title: 'b' });
  await makeVideo(path.join(footage, 'c.webm'), { seconds: 2, codec: 'vp9', title: 'c' });
  const labels = [
    'path,start,end,label',
    'a.mp4,0,1,walk',
    'a.mp4,1,2,walk',
    'a.mp4,2.2,3,run',
    'a.mp4,3,4,run',
    'b.mp4,0.5,1.5,run',
    'b.mp4,1.5,2.5,walk',
    'b.mp4,0,0.5,run',
    'c.webm,0,1,walk',
    'c.webm,1,2,run',
  ];
  fs.writeFileSync(path.join(footage, 'labels.csv'), `${labels.join('\n')}\n`);
  await ok('init', 'project');
  await ok('import', 'project', footage);
  await ok('labels', 'import', 'project', path.join(footage, 'labels.csv'), '--format', 'csv');
}, 180_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('vssl dataset export', () => {
  it('cuts every labelled clip to exactly its frames and lists them with the app\'s split (mmaction)', async () => {
    const out = path.join(tmp, 'mm');
    const summary = await exportJson('project', out, '--format', 'mmaction', '--name', 'walkrun');
    expect(summary).toMatchObject({ kind: 'dataset-export', dir: out, format: 'mmaction', classes: ['walk', 'run'], skipped: [] });
    expect(summary.train + summary.validation).toBe(9);
    // a.mp4 0–1 s, 1–2 s and 3–4 s start and end on keyframes; every other clip is re-encoded.
    expect(summary).toMatchObject({ copied: 3, reencoded: 6, config: 'configs/walkrun_r2plus1d.py' });
    expect(lines(path.join(out, 'classes.txt'))).toEqual(['walk', 'run']);

    const clips = clipsCsv(out);
    expect(clips).toHaveLength(9);
    const split = appSplit('project');
    expect(split.size).toBe(9);
    for (const clip of clips) {
      expect(clip.file).toMatch(/^videos\/[A-Za-z0-9._-]+\.mp4$/);
      expect(frameCount(path.join(out, clip.file)), clip.file).toBe(clip.end - clip.start);
      expect(split.get(`${clip.video}|${clip.start}|${clip.end}`), clip.file).toBe(clip.split);
    }
    const listed = (name: string) => lines(path.join(out, name)).map((l) => l.split(' '));
    const expectedList = (which: string) =>
      clips.filter((c) => c.split === which).map((c) => [c.file, String(c.labelIndex)]).sort((x, y) => x[0]!.localeCompare(y[0]!));
    expect(listed('train_list.txt')).toEqual(expectedList('train'));
    expect(listed('val_list.txt')).toEqual(expectedList('val'));
    expect(listed('val_list.txt').length).toBe(summary.validation);
    // The 20 % held out per class, as training holds it out: round(5 × 0.2) walk, round(4 × 0.2) run.
    expect(summary.validation).toBe(2);
    expect(fs.readFileSync(path.join(out, 'README.md'), 'utf8')).toContain(`bash tools/dist_train.sh ${out}/configs/walkrun_r2plus1d.py N`);
    expect(fs.readdirSync(tmp).filter((name) => name.includes('vssl-partial'))).toEqual([]);
  }, 180_000);

  it('writes an MMAction2 config that Python loads, with the app\'s input spec and the dataset\'s lists', () => {
    const out = path.join(tmp, 'mm');
    const config = path.join(out, 'configs', 'walkrun_r2plus1d.py');
    // Loaded as MMEngine does (a plain Python file executed for its variables), with Debian's python3.
    const script = `
import json, sys
ns = {}
exec(compile(open(sys.argv[1]).read(), sys.argv[1], 'exec'), ns)
train = ns['train_dataloader']['dataset']
print(json.dumps({
  'scope': ns['default_scope'],
  'model': ns['model']['type'], 'backbone': ns['model']['backbone']['type'], 'head': ns['model']['cls_head']['type'],
  'classes': ns['model']['cls_head']['num_classes'],
  'preprocessor': ns['model']['data_preprocessor'],
  'train_pipeline': [step['type'] for step in ns['train_pipeline']],
  'val_pipeline': [step['type'] for step in ns['val_pipeline']],
  'sample': ns['val_pipeline'][1], 'resize': list(ns['val_pipeline'][3]['scale']), 'crop': ns['val_pipeline'][4]['crop_size'],
  'train_ann': train['ann_file'], 'val_ann': ns['val_dataloader']['dataset']['ann_file'], 'prefix': train['data_prefix'],
  'dataset': train['type'], 'optimizer': ns['optim_wrapper']['optimizer']['type'], 'loop': ns['train_cfg']['type'],
}))`;
    const loaded = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, config], { encoding: 'utf8' })) as Record<string, unknown>;
    expect(loaded).toEqual({
      scope: 'mmaction',
      model: 'Recognizer3D',
      backbone: 'ResNet2Plus1d',
      head: 'I3DHead',
      classes: 2,
      preprocessor: { type: 'ActionDataPreprocessor', mean: [0, 0, 0], std: [255, 255, 255], format_shape: 'NCTHW' },
      train_pipeline: ['DecordInit', 'SampleFrames', 'DecordDecode', 'Resize', 'CenterCrop', 'Flip', 'FormatShape', 'PackActionInputs'],
      val_pipeline: ['DecordInit', 'SampleFrames', 'DecordDecode', 'Resize', 'CenterCrop', 'FormatShape', 'PackActionInputs'],
      // 8 frames (the app's default) spread over the typical clip of 25–30 frames.
      sample: { type: 'SampleFrames', clip_len: 8, frame_interval: 3, num_clips: 1, test_mode: true },
      resize: [-1, 64],
      crop: 64,
      train_ann: path.join(out, 'train_list.txt'),
      val_ann: path.join(out, 'val_list.txt'),
      prefix: { video: out },
      dataset: 'VideoDataset',
      optimizer: 'SGD',
      loop: 'EpochBasedTrainLoop',
    });
  });

  it('lays the same clips out in Kinetics class folders, with another split when asked', async () => {
    const out = path.join(tmp, 'kinetics');
    const summary = await exportJson('project', out, '--format', 'kinetics-folders', '--validation', '0.5', '--seed', '3',
      '--frames', '16', '--size', '112');
    expect(summary.train + summary.validation).toBe(9);
    expect(summary.validation).toBe(5); // round(5 × 0.5) = 3 walk + round(4 × 0.5) = 2 run
    const clips = clipsCsv(out);
    const names = ['walk', 'run'];
    for (const clip of clips) {
      expect(clip.file.startsWith(`${clip.split}/${names[clip.labelIndex]}/`), clip.file).toBe(true);
      expect(frameCount(path.join(out, clip.file)), clip.file).toBe(clip.end - clip.start);
    }
    const settings = { ...defaultTrainSettings('supervised'), validationFraction: 0.5, seed: 3 };
    const db = new Database(projectFile(path.join(tmp, 'project')), { readonly: true });
    const app = gatherTrainingDataset(db, settings);
    db.close();
    const held = new Set(app.validation.map((c) => `${c.clip.videoPath}|${c.clip.startFrame}|${c.clip.endFrame}`));
    expect(new Set(clips.filter((c) => c.split === 'val').map((c) => `${c.video}|${c.start}|${c.end}`))).toEqual(held);
    expect(fs.readdirSync(path.join(out, 'train')).sort()).toEqual(['run', 'walk']);
    const config = fs.readFileSync(path.join(out, 'configs', 'vssl_r2plus1d.py'), 'utf8');
    expect(config).toContain("clip_len=16, frame_interval=1");
    expect(config).toContain('crop_size=112');
  }, 180_000);

  it('skips a missing source video and says so, and refuses a folder that holds files', async () => {
    await makeVideo(path.join(tmp, 'gone', 'gone.mp4'), { seconds: 2, title: 'gone' });
    fs.writeFileSync(path.join(tmp, 'gone', 'labels.csv'), 'path,start,end,label\ngone.mp4,0,1,walk\ngone.mp4,1,2,run\n');
    await ok('import', 'project', path.join(tmp, 'gone'));
    await ok('labels', 'import', 'project', path.join(tmp, 'gone', 'labels.csv'), '--format', 'csv');
    fs.rmSync(path.join(tmp, 'gone', 'gone.mp4'));

    const out = path.join(tmp, 'without-gone');
    const summary = await exportJson('project', out, '--format', 'mmaction');
    expect(summary.train + summary.validation).toBe(9);
    expect(summary.skipped).toHaveLength(1);
    expect(summary.skipped[0]).toMatchObject({ path: path.join(tmp, 'gone', 'gone.mp4'), frames: null });
    expect(summary.skipped[0]?.reason).toMatch(/missing/);
    expect(clipsCsv(out).some((c) => c.video.includes('gone'))).toBe(false);

    const again = await vssl('dataset', 'export', 'project', out, '--format', 'mmaction');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${out} is not empty`);
    const bad = await vssl('dataset', 'export', 'project', path.join(tmp, 'x'), '--format', 'coco');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format is one of mmaction, kinetics-folders');
  }, 180_000);
});
