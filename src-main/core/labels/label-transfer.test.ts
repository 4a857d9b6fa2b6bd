import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestProject, type TestProject } from '../../../tests/fixtures/core-harness.js';
import { addVideo, clipSignature, dbSnapshot } from '../../../tests/fixtures/label-projects.js';
import type { EventMap } from '../../shared/contract.js';
import type { LabelFormat } from '../../shared/dto.js';

let t: TestProject;
let fresh: TestProject | null = null;

beforeEach(async () => {
  t = await openTestProject({ author: 'tester' });
});
afterEach(async () => {
  await t.dispose();
  await fresh?.dispose();
  fresh = null;
});

const NTSC = 30000 / 1001;

/** The project's videos: 25 fps, 29.97 fps with a non-zero start, a short one, and awkward file names. */
function videoSpecs(media: string) {
  return {
    a: { path: path.join(media, 'a.mp4'), rate: '25/1', frames: 250 },
    b: { path: path.join(media, 'sub', 'b.mp4'), rate: '30000/1001', frames: 300, startTime: 1.5 },
    c: { path: path.join(media, 'c.mp4'), rate: '25/1', frames: 40 },
    d: { path: path.join(media, 'odd, "name".mp4'), rate: '25/1', frames: 100 },
  };
}

function addVideos(project: TestProject, media = t.media) {
  const specs = videoSpecs(media);
  return {
    a: addVideo(project, specs.a),
    b: addVideo(project, specs.b),
    c: addVideo(project, specs.c),
    d: addVideo(project, specs.d),
  };
}

async function clipAt(project: TestProject, videoId: number, startFrame: number, endFrame: number) {
  const clip = (await project.core.call('clips:list', { videoId })).find(
    (c) => c.startFrame === startFrame && c.endFrame === endFrame,
  );
  if (!clip) throw new Error(`no clip ${startFrame}–${endFrame} on video ${videoId}`);
  return clip;
}

/** Labels a project the way a person would: automatic clips, user segments, whole videos, odd class names. */
async function labelProject(project: TestProject) {
  const v = addVideos(project);
  const call = project.core.call.bind(project.core);
  const walk = await call('classes:create', { name: 'walk' });
  const run = await call('classes:create', { name: 'run' });
  const sit = await call('classes:create', { name: 'sit, down' });
  const hi = await call('classes:create', { name: 'say "hi"' });
  await call('labels:set', { clipId: (await clipAt(project, v.a, 50, 100)).id, classId: walk.id });
  const segment = await call('clips:create', { videoId: v.a, startFrame: 13, endFrame: 37 });
  await call('labels:set', { clipId: segment.id, classId: run.id });
  await call('clips:create', { videoId: v.a, startFrame: 101, endFrame: 117 });
  const whole = await call('clips:create', { videoId: v.a, startFrame: 0, endFrame: 250 });
  await call('labels:set', { clipId: whole.id, classId: hi.id });
  const onB = await call('clips:create', { videoId: v.b, startFrame: 7, endFrame: 61 });
  await call('labels:set', { clipId: onB.id, classId: sit.id });
  await call('labels:set', { clipId: (await clipAt(project, v.b, 60, 120)).id, classId: walk.id });
  await call('labels:set', { clipId: (await clipAt(project, v.c, 0, 40)).id, classId: run.id });
  const onD = await call('clips:create', { videoId: v.d, startFrame: 10, endFrame: 20 });
  await call('labels:set', { clipId: onD.id, classId: walk.id });
  return v;
}

function write(name: string, text: string): string {
  const file = path.join(t.tmp, 'files', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

async function importFile(file: string, format: LabelFormat, options: Record<string, unknown> = {}, project = t) {
  return project.core.call('labels:import', { file, format, ...options });
}

describe('round trips: export, then import into a fresh project with the same videos', () => {
  const cases: { format: LabelFormat; file: string; carries: 'exported' | 'labelled' | 'whole' }[] = [
    { format: 'csv', file: 'labels.csv', carries: 'exported' },
    { format: 'kinetics', file: 'kinetics.csv', carries: 'exported' },
    { format: 'activitynet', file: 'activitynet.json', carries: 'labelled' },
    { format: 'labelstudio', file: 'tasks.json', carries: 'labelled' },
    { format: 'mmaction', file: 'train_list.txt', carries: 'whole' },
  ];
  for (const { format, file, carries } of cases) {
    it(`${format} carries ${carries === 'whole' ? 'whole-video labels' : carries === 'labelled' ? 'every label' : 'every segment and label'} exactly`, async () => {
      await labelProject(t);
      const target = path.join(t.tmp, 'out', file);
      const exported = await t.core.call('labels:export', { file: target, format });
      expect(exported.files[0]).toBe(target);
      expect(fs.existsSync(target)).toBe(true);

      fresh = await openTestProject({ author: 'someone else' });
      addVideos(fresh, t.media);
      const report = await importFile(target, format, {}, fresh);
      expect(report.skipped).toEqual([]);
      expect(report.createdClasses.sort()).toEqual(
        carries === 'whole' ? ['run', 'say "hi"'] : ['run', 'say "hi"', 'sit, down', 'walk'],
      );

      const before = await clipSignature(t.core, carries === 'exported' ? 'exported' : 'labelled');
      const after = await clipSignature(fresh.core, carries === 'exported' ? 'exported' : 'labelled');
      if (carries === 'whole') {
        const wholeVideos = before.filter((s) => /\|0\|250\||c\.mp4\|0\|40\|/.test(s));
        expect(wholeVideos).toHaveLength(2);
        expect(after).toEqual(wholeVideos);
      } else {
        expect(after).toEqual(before);
      }
      expect(exported.rows).toBe(carries === 'whole' ? 2 : carries === 'labelled' ? before.length : before.length);
    });
  }

  it('csv export writes RFC 4180 fields, relative paths below its folder and seconds of video time', async () => {
    await labelProject(t);
    const target = path.join(t.media, 'labels.csv');
    await t.core.call('labels:export', { file: target, format: 'csv' });
    const lines = fs.readFileSync(target, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('path,start,end,label');
    expect(lines).toContain('a.mp4,0.52,1.48,run');
    expect(lines).toContain('a.mp4,4.04,4.68,');
    expect(lines).toContain(`sub/b.mp4,${Number((7 / NTSC).toFixed(6))},${Number((61 / NTSC).toFixed(6))},"sit, down"`);
    expect(lines).toContain('"odd, ""name"".mp4",0.4,0.8,walk');
    expect(lines).toContain('a.mp4,0,10,"say ""hi"""');
    // Unlabelled automatic clips are derived data: not written.
    expect(lines).toHaveLength(1 + 8);
  });

  it('a Label Studio export counts frames from 1, both ends included, at each video\'s own rate', async () => {
    await labelProject(t);
    const target = path.join(t.tmp, 'tasks.json');
    const report = await t.core.call('labels:export', { file: target, format: 'labelstudio' });
    const tasks = JSON.parse(fs.readFileSync(target, 'utf8')) as {
      data: { video: string; fps: number };
      annotations: { result: { value: { ranges: { start: number; end: number }[]; timelinelabels: string[] } }[] }[];
    }[];
    const taskA = tasks.find((task) => task.data.video.endsWith('a.mp4'))!;
    expect(taskA.data.fps).toBe(25);
    const ranges = taskA.annotations[0]!.result.map((r) => [r.value.timelinelabels[0], r.value.ranges[0]]);
    expect(ranges).toContainEqual(['run', { start: 14, end: 37 }]);
    expect(ranges).toContainEqual(['walk', { start: 51, end: 100 }]);
    expect(report.notes.join(' ')).toContain('1 unlabelled segment not written');

    const at24 = await t.core.call('labels:export', { file: target, format: 'labelstudio', fps: 24 });
    expect(at24.rows).toBe(report.rows);
    const again = JSON.parse(fs.readFileSync(target, 'utf8')) as typeof tasks;
    expect(again.every((task) => task.data.fps === 24)).toBe(true);
  });

  it('mmaction export writes the classes file in class order and says what a video list cannot carry', async () => {
    await labelProject(t);
    const target = path.join(t.media, 'train_list.txt');
    const report = await t.core.call('labels:export', { file: target, format: 'mmaction' });
    const classesFile = path.join(t.media, 'train_list.classes.txt');
    expect(report.files).toEqual([target, classesFile]);
    expect(fs.readFileSync(classesFile, 'utf8')).toBe('walk\nrun\nsit, down\nsay "hi"\n');
    expect(fs.readFileSync(target, 'utf8')).toBe('a.mp4 3\nc.mp4 1\n');
    expect(report.notes.join(' ')).toContain('5 labelled clips not written');
  });
});

describe('import rules', () => {
  it('a row within half a frame of a clip labels it (29.97 fps, non-zero start); further away it makes a segment', async () => {
    const v = addVideos(t);
    const frame = 1 / NTSC;
    const b = videoSpecs(t.media).b.path;
    const csv = write(
      'near.csv',
      [
        'path,start,end,label',
        `${b},${60 * frame + 0.45 * frame},${120 * frame - 0.45 * frame},walk`,
        `${b},${180 * frame + 0.55 * frame},${240 * frame},run`,
        // Player time (video time + the 1.5 s start) would be a different interval: times are video time.
        `${b},${1.5 + 60 * frame},${1.5 + 120 * frame},sit`,
      ].join('\n'),
    );
    const report = await importFile(csv, 'csv');
    expect(report).toMatchObject({ applied: 3, createdClips: 2, labelledClips: 3, skipped: [] });
    const walkClip = await clipAt(t, v.b, 60, 120);
    expect(walkClip).toMatchObject({ origin: 'auto', labelSource: 'import' });
    const runClip = await clipAt(t, v.b, 181, 240);
    expect(runClip.origin).toBe('user');
    expect(runClip.startSec).toBeCloseTo(181 * frame, 9);
    const sitClip = await clipAt(t, v.b, 105, 165);
    expect(sitClip.origin).toBe('user');
  });

  it('reports every row it cannot use with its line and reason, and imports the rest', async () => {
    addVideos(t);
    const a = videoSpecs(t.media).a.path;
    const csv = write(
      'mixed.csv',
      [
        'path,start,end,label',
        `${a},0,2,walk`,
        'nowhere.mp4,0,2,walk',
        `${a},3,3,walk`,
        `${a},5,4,walk`,
        `${a},-1,2,walk`,
        `${a},9,10.5,walk`,
        `${a},abc,2,walk`,
        `${a},1,2`,
        `${a},1.001,1.002,walk`,
        '',
        `"${a}",2,4,"run"`,
        `"${a}"x,2,4,run`,
        `${a},4,6,${'x'.repeat(101)}`,
      ].join('\r\n'),
    );
    const report = await importFile(csv, 'csv');
    expect(report.applied).toBe(2);
    expect(report.skipped.map((s) => [s.line, s.reason.replace(/“.*”/, '“…”')])).toEqual([
      [3, 'unknown video “…”: no video in the project has this path or file name'],
      [4, 'end ≤ start (3 s – 3 s)'],
      [5, 'end ≤ start (5 s – 4 s)'],
      [6, "out of range: starts at -1 s, before the video's first frame"],
      [7, "out of range: ends at 10.5 s, past the video's end (10 s)"],
      [8, 'malformed row: start “…” is not a number'],
      [9, 'malformed row: expected 4 fields (path,start,end,label), found 3'],
      [10, 'shorter than a frame: 1.001 s – 1.002 s holds no whole frame'],
      [13, expect.stringContaining('malformed row: unexpected text after a closing quote')],
      [14, 'class name longer than 100 characters'],
    ]);
    expect(report.skipped[0]).toMatchObject({ where: 'line 3' });
  });

  it('--no-new-classes skips rows of unknown classes and imports the others', async () => {
    addVideos(t);
    await t.core.call('classes:create', { name: 'Walk' });
    const a = videoSpecs(t.media).a.path;
    const csv = write('classes.csv', `path,start,end,label\n${a},0,2,walk\n${a},2,4,jump\n${a},4,6,\n`);
    const report = await importFile(csv, 'csv', { newClasses: false });
    expect(report).toMatchObject({ applied: 2, createdClasses: [], labelledClips: 1 });
    expect(report.skipped).toEqual([
      { line: 3, where: 'line 3', reason: 'unknown class “jump” (creating classes was not allowed)' },
    ]);
    expect((await t.core.call('classes:list', {})).map((c) => c.name)).toEqual(['Walk']);
  });

  it('new classes get hotkeys and colours in turn', async () => {
    addVideos(t);
    await t.core.call('classes:create', { name: 'first' });
    const a = videoSpecs(t.media).a.path;
    const csv = write('new.csv', `path,start,end,label\n${a},0,2,b1\n${a},2,4,B1\n${a},4,6,b2\n`);
    const report = await importFile(csv, 'csv');
    expect(report.createdClasses).toEqual(['b1', 'b2']);
    const classes = await t.core.call('classes:list', {});
    expect(classes.map((c) => [c.name, c.hotkey, c.labelCount])).toEqual([
      ['first', '1', 0],
      ['b1', '2', 2],
      ['b2', '3', 1],
    ]);
    expect(new Set(classes.map((c) => c.color)).size).toBe(3);
  });

  it('keeps a person\'s label unless told to overwrite; an earlier import\'s label is replaced', async () => {
    const v = addVideos(t);
    const walk = await t.core.call('classes:create', { name: 'walk' });
    const human = await clipAt(t, v.a, 0, 50);
    await t.core.call('labels:set', { clipId: human.id, classId: walk.id });
    const a = videoSpecs(t.media).a.path;
    const first = write('first.csv', `path,start,end,label\n${a},0,2,run\n${a},2,4,run\n`);
    const kept = await importFile(first, 'csv');
    expect(kept.skipped).toEqual([
      { line: 2, where: 'line 2', reason: 'clip already labelled “walk” by a person (import with overwrite to replace it)' },
    ]);
    expect((await clipAt(t, v.a, 50, 100)).labelSource).toBe('import');

    const second = write('second.csv', `path,start,end,label\n${a},2,4,jump\n`);
    expect((await importFile(second, 'csv')).skipped).toEqual([]);
    expect((await clipAt(t, v.a, 50, 100)).classId).toBe((await t.core.call('classes:list', {})).find((c) => c.name === 'jump')!.id);

    const replaced = await importFile(first, 'csv', { overwrite: true });
    expect(replaced).toMatchObject({ applied: 2, labelledClips: 2, skipped: [] });
    expect(await clipAt(t, v.a, 0, 50)).toMatchObject({ labelSource: 'import' });
  });

  it('the first row to label a clip wins over a later row of the same file', async () => {
    addVideos(t);
    const a = videoSpecs(t.media).a.path;
    const csv = write('twice.csv', `path,start,end,label\n${a},0,2,walk\n${a},0,2,walk\n${a},0.01,2,run\n${a},0,2,\n`);
    const report = await importFile(csv, 'csv');
    expect(report).toMatchObject({ applied: 3, labelledClips: 1 });
    expect(report.skipped).toEqual([
      { line: 4, where: 'line 4', reason: 'the same clip is already labelled “walk” by line 2' },
    ]);
  });

  it('is one undoable change: undo removes its segments, labels and classes, redo brings them back', async () => {
    const v = addVideos(t);
    const walk = await t.core.call('classes:create', { name: 'walk' });
    await t.core.call('labels:set', { clipId: (await clipAt(t, v.a, 0, 50)).id, classId: walk.id });
    const before = await clipSignature(t.core);
    const classesBefore = await t.core.call('classes:list', {});
    const a = videoSpecs(t.media).a.path;
    const csv = write('undo.csv', `path,start,end,label\n${a},2,4,run\n${a},0.52,1.48,jump\n${a},5,6.2,\n${a},4,6,walk\n`);
    const events: (keyof EventMap)[] = [];
    t.core.events.onAny((name) => events.push(name));
    const report = await importFile(csv, 'csv');
    expect(report).toMatchObject({ applied: 4, createdClips: 2, labelledClips: 3, createdClasses: ['run', 'jump'] });
    expect(events).toEqual(['classes:changed', 'labels:changed']);
    const history = await t.core.call('history:list', {});
    expect(history[0]).toMatchObject({ action: 'labels:import', description: 'Import labels from undo.csv (csv, 4 rows)' });

    await t.core.call('history:undo', {});
    expect(await clipSignature(t.core)).toEqual(before);
    expect(await t.core.call('classes:list', {})).toEqual(classesBefore);
    await t.core.call('history:redo', {});
    expect(await clipSignature(t.core)).toContain(`${a}|13|37|jump`);
    expect((await t.core.call('classes:list', {})).map((c) => c.name)).toEqual(['walk', 'run', 'jump']);
  });

  it('a dry run reports exactly what the import does, and writes nothing', async () => {
    addVideos(t);
    const a = videoSpecs(t.media).a.path;
    const csv = write('dry.csv', `path,start,end,label\n${a},2,4,run\n${a},0.5,1.5,jump\nnope.mp4,0,1,run\n`);
    // Automatic clips are cut on first look (derived data, as for any listing); then nothing changes.
    await t.core.call('labels:stats', {});
    const snapshot = dbSnapshot(t);
    const dry = await importFile(csv, 'csv', { dryRun: true });
    expect(dbSnapshot(t)).toBe(snapshot);
    const real = await importFile(csv, 'csv');
    expect({ ...dry, dryRun: false }).toEqual(real);
    expect(dry.dryRun).toBe(true);
  });

  it('refuses a file that is not the format at all and writes nothing', async () => {
    addVideos(t);
    const snapshot = dbSnapshot(t);
    const cases: [LabelFormat, string, RegExp][] = [
      ['csv', 'video,from,to\nx,1,2\n', /Not a VSSL label CSV file: the first line must be the header path,start,end,label/],
      ['csv', '', /no header line/],
      ['kinetics', 'path,start,end,label\n', /Not a Kinetics CSV file/],
      ['activitynet', '{"database": {"a": {"annotations": [}}}', /not valid JSON at line 1, column 35 \(unexpected “}”/],
      ['activitynet', '{"version": "1.3", "results": {}}', /predictions file/],
      ['activitynet', '[1, 2]', /expected an object with a “database”/],
      ['labelstudio', '{"tasks": 1}', /expected a list of tasks/],
      ['labelstudio', '[{"data": {"video": "a.mp4"}},\n  {"data": 1}\n', /not valid JSON at line 2, column 16 \(the file ends too early/],
      ['mmaction', 'path,start\nx,y\n', /Not an MMAction video list/],
      ['mmaction', 'frames/a 120 1\nframes/b 80 0\n', /rawframes list/],
    ];
    for (const [format, text, message] of cases) {
      const file = write(`bad-${format}.txt`, text);
      if (format === 'mmaction') write('bad-mmaction.classes.txt', 'walk\nrun\n');
      await expect(importFile(file, format), `${format}: ${text}`).rejects.toMatchObject({ code: 'UNSUPPORTED', message });
    }
    await expect(importFile(path.join(t.tmp, 'missing.csv'), 'csv')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `The label file ${path.join(t.tmp, 'missing.csv')} does not exist.`,
    });
    const binary = write('binary.csv', '');
    fs.writeFileSync(binary, Buffer.from([0x70, 0x61, 0xff, 0xfe, 0x00, 0x80]));
    await expect(importFile(binary, 'csv')).rejects.toMatchObject({ code: 'UNSUPPORTED', message: /not UTF-8 text/ });
    await expect(importFile(t.tmp, 'csv')).rejects.toMatchObject({ code: 'IO_ERROR', message: /is a folder/ });
    await expect(t.core.call('labels:import', { file: 'relative.csv', format: 'csv' })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    });
    await expect(t.core.call('labels:import', { file: binary, format: 'excel' as LabelFormat })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
      message: expect.stringContaining('The format is one of csv, kinetics, mmaction, activitynet, labelstudio.'),
    });
    expect(dbSnapshot(t)).toBe(snapshot);
  });

  it('export refuses to overwrite a video or the project database', async () => {
    const v = addVideos(t);
    const video = await t.core.call('videos:get', { id: v.a });
    await expect(t.core.call('labels:export', { file: video.path, format: 'csv' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(
      t.core.call('labels:export', { file: path.join(t.projectDir, 'project.vssl'), format: 'csv' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('kinetics', () => {
  it('matches videos by stem and Kinetics clips named <id>_<start>_<end>, shifting their times', async () => {
    const whole = addVideo(t, { path: path.join(t.media, 'kin', 'xyz.mp4'), rate: '25/1', frames: 500 });
    const clip = addVideo(t, { path: path.join(t.media, 'kin', '-abc_DEF12_000010_000020.mp4'), rate: '25/1', frames: 248 });
    const csv = write(
      'k400.csv',
      [
        'label,youtube_id,time_start,time_end,split,is_cc',
        'juggling,-abc_DEF12,10,20,train,0',
        'abseiling,xyz,2,4,val,0',
        'abseiling,xyz,,4,val,0',
        'abseiling,nope,2,4,val,0',
      ].join('\n'),
    );
    const report = await importFile(csv, 'kinetics');
    expect(report.skipped.map((s) => [s.line, s.reason])).toEqual([
      [4, 'malformed row: time_start is empty'],
      [5, 'unknown video “nope”: no video in the project is named nope.*'],
    ]);
    expect(report.notes).toEqual([
      'Ignored column “is_cc”.',
      '1 row matched clips named <youtube_id>_<start>_<end>: their times were shifted to the clip and kept within it.',
    ]);
    expect((await clipAt(t, clip, 0, 248)).origin).toBe('user');
    expect((await clipAt(t, whole, 50, 100)).classId).not.toBeNull();

    const out = path.join(t.tmp, 'out.csv');
    await t.core.call('labels:export', { file: out, format: 'kinetics' });
    expect(fs.readFileSync(out, 'utf8')).toBe(
      'label,youtube_id,time_start,time_end,split\njuggling,-abc_DEF12,10,19.92,train\nabseiling,xyz,2,4,train\n',
    );
  });
});

describe('mmaction', () => {
  it('labels whole videos by class index and says which lines it cannot use', async () => {
    const v = addVideos(t);
    write('list.classes.txt', 'walk\n\nrun\n');
    const list = write(
      'list.txt',
      [
        `${path.relative(path.join(t.tmp, 'files'), videoSpecs(t.media).a.path)} 0`,
        'c.mp4 2',
        'c.mp4 1',
        'd.mp4 7',
        'c.mp4 x',
        'c.mp4 0 2',
        'lonely',
      ].join('\n'),
    );
    const report = await importFile(list, 'mmaction');
    expect(report.applied).toBe(2);
    expect(report.skipped.map((s) => [s.line, s.reason])).toEqual([
      [3, 'label index 1 names no class (line 2 of the classes file is blank)'],
      [4, 'unknown video “d.mp4”: no video in the project has this path or file name'],
      [5, 'malformed row: the label index “x” is not a whole number ≥ 0'],
      [6, 'several label indices on one line (a multi-label list): a clip carries one class'],
      [7, 'malformed row: expected “path label_index”, found “lonely”'],
    ]);
    expect(report.notes).toEqual(['1 row matched a video by file name only: no video has the path written in the file.']);
    expect((await clipAt(t, v.a, 0, 250)).origin).toBe('user');
    expect((await clipAt(t, v.c, 0, 40)).origin).toBe('auto');
    await expect(importFile(list, 'mmaction', { classesFile: path.join(t.tmp, 'none.txt') })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('classes file'),
    });
  });
});

describe('activitynet', () => {
  it('matches ids by path, by stem and by v_<id>, and warns of a duration that disagrees', async () => {
    const v = addVideos(t);
    const e = addVideo(t, { path: path.join(t.media, 'v_QOlSCBRmfWY.mp4'), rate: '25/1', frames: 100 });
    const json = write(
      'anet.json',
      JSON.stringify({
        version: 'VERSION 1.3',
        database: {
          QOlSCBRmfWY: { subset: 'training', duration: 4, annotations: [{ segment: [0.5, 2.5], label: 'Ballet' }] },
          anything: { path: '../media/c.mp4', annotations: [{ segment: [0, 1.6], label: 'Tango' }] },
          a: {
            duration: 60,
            annotations: [{ segment: [2, 4], label: 'Ballet' }, { segment: [2], label: 'x' }, { segment: [4, 6] }, 7],
          },
          missing: { annotations: [{ segment: [0, 1], label: 'x' }] },
          empty: { annotations: [] },
          broken: 'x',
        },
      }),
    );
    const report = await importFile(json, 'activitynet');
    expect(report.applied).toBe(3);
    expect(report.skipped.map((s) => [s.line, s.where, s.reason])).toEqual([
      [null, 'database["a"].annotations[1]', 'malformed annotation: segment must be [start, end] in seconds, found [2]'],
      [null, 'database["a"].annotations[2]', 'malformed annotation: label must be a class name, found undefined'],
      [null, 'database["a"].annotations[3]', 'malformed annotation: expected an object, found 7'],
      [null, 'database["missing"]', 'unknown video “missing”: no video in the project is named missing.* or v_missing.* (its 1 annotation skipped)'],
      [null, 'database["broken"]', 'malformed entry: expected an object, found "x"'],
    ]);
    expect(report.notes).toEqual([
      '1 video in the project has another duration than the file says (a.mp4: 60 s in the file, 10 s probed): check they are the same videos.',
    ]);
    // 0.5 s and 2.5 s at 25 fps fall between two frames: the earlier boundary wins.
    expect((await clipAt(t, e, 12, 62)).origin).toBe('user');
    expect((await clipAt(t, v.c, 0, 40)).labelSource).toBe('import');
  });
});

describe('labelstudio', () => {
  it('reads TimelineLabels frames at the task frame rate, then --fps, then 24; choices label whole videos', async () => {
    const v = addVideos(t);
    const tasks = [
      {
        id: 11,
        data: { video: '/data/upload/3/1a2b3c4d-a.mp4', fps: '25' },
        annotations: [
          {
            result: [
              { type: 'timelinelabels', from_name: 'tl', to_name: 'video', value: { ranges: [{ start: 1, end: 50 }, { start: 60, end: 59 }], timelinelabels: ['walk'] } },
              { type: 'timelinelabels', value: { ranges: [{ start: 101, end: 101 }], timelinelabels: ['run', 'walk'] } },
              { type: 'videorectangle', value: { sequence: [] } },
            ],
          },
          { was_cancelled: true, result: [{ type: 'choices', value: { choices: ['walk'] } }] },
        ],
        predictions: [{ model_version: 'x', result: [] }],
      },
      {
        id: 12,
        data: { video: `file://${videoSpecs(t.media).c.path}` },
        annotations: [{ result: [{ type: 'choices', value: { choices: ['dance'] } }] }],
      },
      {
        data: { clip: 'http://host/media/sub/b.mp4?token=1' },
        annotations: [{ result: [{ type: 'timelinelabels', value: { ranges: [{ start: 1, end: 24 }], timelinelabels: ['jump'] } }] }],
      },
      { data: { video: 'gone.mp4' }, annotations: [{ result: [{ type: 'choices', value: { choices: ['x'] } }] }] },
      'not a task',
    ];
    const json = write('tasks.json', JSON.stringify(tasks, null, 2));
    const report = await importFile(json, 'labelstudio');
    expect(report.skipped.map((s) => [s.where, s.reason])).toEqual([
      ['task 1 (id 11), annotation 1, result 1, range 2', 'end ≤ start: frames 60–59'],
      ['task 1 (id 11), annotation 1, result 2', '2 labels on one range (run, walk): a clip carries one class'],
      ['task 4', 'unknown video “gone.mp4”: no video in the project has this path or file name (its annotations skipped)'],
      ['task 5', 'malformed task: expected {"data": {…}}, found "not a task"'],
    ]);
    expect(report.notes).toEqual([
      '1 task carried a frame rate in data (fps): ranges read at that rate.',
      "2 tasks had no frame rate: ranges read at 24 fps, Label Studio's default (give the frame rate of your Video tag if it sets another).",
      '1 cancelled annotation skipped.',
      '1 prediction skipped: predictions are not labels; import them as pseudo-labels to review with “vssl predictions import”.',
      '1 result of type “videorectangle” skipped: only timelinelabels and choices carry clip labels.',
    ]);
    expect((await clipAt(t, v.a, 0, 50)).labelSource).toBe('import');
    expect((await clipAt(t, v.c, 0, 40)).labelSource).toBe('import');
    // 24 frames at 24 fps is one second: 30 frames of a 29.97 fps video.
    expect((await clipAt(t, v.b, 0, 30)).origin).toBe('user');

    const at30 = await importFile(json, 'labelstudio', { fps: 29.97, dryRun: true });
    expect(at30.notes[1]).toBe('2 tasks read at 29.97 fps.');
  });
});
