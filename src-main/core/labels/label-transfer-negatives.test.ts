/** Negative labels ("not class c") in label files: only our CSV carries them, in its `not` column. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestProject, type TestProject } from '../../../tests/fixtures/core-harness.js';
import { addVideo } from '../../../tests/fixtures/label-projects.js';

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

/** A 10 s video at 25 fps (automatic clips of 2 s) and a 29.97 fps one that starts at 1.5 s. */
function addVideos(project: TestProject, media = t.media) {
  return {
    a: addVideo(project, { path: path.join(media, 'a.mp4'), rate: '25/1', frames: 250 }),
    b: addVideo(project, { path: path.join(media, 'sub', 'b.mp4'), rate: '30000/1001', frames: 300, startTime: 1.5 }),
  };
}

function write(name: string, lines: string[]): string {
  const file = path.join(t.media, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Every negative label as `video|startFrame|endFrame|class|source`, sorted. */
function negatives(project: TestProject): string[] {
  const rows = project
    .session()
    .project.db.prepare(
      `SELECT v.name AS video, c.start_frame, c.end_frame, cl.name AS class, n.source
       FROM negative_labels n JOIN clips c ON c.id = n.clip_id JOIN videos v ON v.id = c.video_id
       JOIN classes cl ON cl.id = n.class_id`,
    )
    .all() as { video: string; start_frame: number; end_frame: number; class: string; source: string }[];
  return rows.map((r) => `${r.video}|${r.start_frame}|${r.end_frame}|${r.class}|${r.source}`).sort();
}

async function clipAt(project: TestProject, videoId: number, startFrame: number, endFrame: number) {
  const clip = (await project.core.call('clips:list', { videoId })).find(
    (c) => c.startFrame === startFrame && c.endFrame === endFrame,
  );
  if (!clip) throw new Error(`no clip ${startFrame}–${endFrame} on video ${videoId}`);
  return clip;
}

describe('negative labels in the csv format', () => {
  it('import reads the not column, export writes it, and a fresh project imports the export to the same negatives', async () => {
    addVideos(t);
    for (const name of ['walk', 'run', 'sit, down']) await t.core.call('classes:create', { name });
    const csv = write('in.csv', [
      'path,start,end,label,not',
      'a.mp4,0,2,walk,"sit, down|run"',
      'a.mp4,2,4,,walk',
      'a.mp4,4.4,5.2,,run',
      'sub/b.mp4,2.002,4.004,run,walk | Walk|',
    ]);
    const report = await t.core.call('labels:import', { file: csv, format: 'csv' });
    expect(report).toMatchObject({ applied: 4, createdClips: 1, labelledClips: 2, skipped: [] });
    expect(report.notes).toEqual(['5 negative labels (“not class c”) imported.']);
    const imported = [
      'a.mp4|0|50|run|import',
      'a.mp4|0|50|sit, down|import',
      'a.mp4|110|130|run|import',
      'a.mp4|50|100|walk|import',
      'b.mp4|60|120|walk|import',
    ];
    expect(negatives(t)).toEqual(imported);

    const out = path.join(t.media, 'out.csv');
    const exported = await t.core.call('labels:export', { file: out, format: 'csv' });
    expect(exported.notes).toEqual([]);
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('path,start,end,label,not');
    // Classes in the project's order; a clip with nothing but a negative label is written too.
    expect(lines).toContain('a.mp4,0,2,walk,"run|sit, down"');
    expect(lines).toContain('a.mp4,2,4,,walk');
    expect(lines).toContain('a.mp4,4.4,5.2,,run');
    expect(lines).toHaveLength(1 + 4);

    const other = await t.core.call('labels:export', { file: path.join(t.tmp, 'k.csv'), format: 'kinetics' });
    expect(other.notes).toContain(
      '5 negative labels (“not class c”) not written: only the csv format carries them (column not).',
    );
    // The clip that has nothing but a negative label (a.mp4 2–4 s) is not written there.
    expect(fs.readFileSync(path.join(t.tmp, 'k.csv'), 'utf8').trimEnd().split('\n').slice(1).sort()).toEqual([
      ',a,4.4,5.2,train',
      'run,b,2.002,4.004,train',
      'walk,a,0,2,train',
    ]);

    fresh = await openTestProject({ author: 'someone else' });
    addVideos(fresh, t.media);
    const again = await fresh.core.call('labels:import', { file: out, format: 'csv' });
    expect(again.skipped).toEqual([]);
    // One row creates three classes: each gets its own hotkey and position.
    expect(again.createdClasses).toEqual(['walk', 'run', 'sit, down']);
    const classes = await fresh.core.call('classes:list', {});
    expect(new Set(classes.map((c) => c.hotkey)).size).toBe(3);
    expect(classes.map((c) => c.name)).toEqual(['walk', 'run', 'sit, down']);
    expect(negatives(fresh)).toEqual(imported);
  });

  it('the negatives are part of the one undoable import', async () => {
    const v = addVideos(t);
    const csv = write('undo.csv', ['path,start,end,label,not', 'a.mp4,0,2,walk,run', 'a.mp4,4.4,5.2,,walk']);
    const changed: (number[] | null)[] = [];
    t.core.events.on('labels:changed', (payload) => changed.push(payload.videoIds));
    await t.core.call('labels:import', { file: csv, format: 'csv' });
    expect(changed).toEqual([[v.a]]);
    expect(negatives(t)).toEqual(['a.mp4|0|50|run|import', 'a.mp4|110|130|walk|import']);
    expect((await t.core.call('history:list', {})).length).toBe(1);
    await t.core.call('history:undo', {});
    expect(negatives(t)).toEqual([]);
    expect(await t.core.call('classes:list', {})).toEqual([]);
    await t.core.call('history:redo', {});
    expect(negatives(t)).toEqual(['a.mp4|0|50|run|import', 'a.mp4|110|130|walk|import']);
  });

  it('a file without the not column imports as before, and an export without negatives has no such column', async () => {
    addVideos(t);
    const csv = write('plain.csv', ['path,start,end,label', 'a.mp4,0,2,walk', 'a.mp4,4.4,5.2,']);
    const report = await t.core.call('labels:import', { file: csv, format: 'csv' });
    expect(report).toMatchObject({ applied: 2, skipped: [], notes: [] });
    expect(negatives(t)).toEqual([]);
    const out = path.join(t.media, 'out.csv');
    expect((await t.core.call('labels:export', { file: out, format: 'csv' })).notes).toEqual([]);
    expect(fs.readFileSync(out, 'utf8')).toBe('path,start,end,label\na.mp4,0,2,walk\na.mp4,4.4,5.2,\n');
    const studio = await t.core.call('labels:export', { file: path.join(t.tmp, 'tasks.json'), format: 'labelstudio' });
    expect(studio.notes.join(' ')).not.toContain('negative');
  });

  it('reports each row whose not column cannot be used, with the reason, and imports the rest', async () => {
    const v = addVideos(t);
    const walk = await t.core.call('classes:create', { name: 'walk' });
    await t.core.call('classes:create', { name: 'run' });
    await t.core.call('labels:set', { clipId: (await clipAt(t, v.a, 0, 50)).id, classId: walk.id });
    const csv = write('bad.csv', [
      'path,start,end,label,not',
      'a.mp4,2,4,run,jump',
      'a.mp4,4,6,run,Run',
      'a.mp4,0,2,,walk',
      `a.mp4,6,8,walk,${'x'.repeat(101)}`,
      'a.mp4,8,10,run,walk|',
      'a.mp4,8,10,,run',
      'a.mp4,6,8,,run',
      'a.mp4,6,8,run,',
    ]);
    const report = await t.core.call('labels:import', { file: csv, format: 'csv', newClasses: false });
    expect(report.skipped.map((s) => [s.line, s.reason])).toEqual([
      [2, 'not column: unknown class “jump” (creating classes was not allowed)'],
      [3, 'the label “run” is also ruled out in the not column'],
      [4, 'the clip is labelled “walk”, which the not column rules out'],
      [5, 'not column: class name longer than 100 characters'],
      [7, 'the clip is labelled “run” by line 6, which the not column rules out'],
      [9, 'the same clip has “run” ruled out by line 8'],
    ]);
    expect(report.applied).toBe(2);
    expect(negatives(t)).toEqual(['a.mp4|150|200|run|import', 'a.mp4|200|250|walk|import']);
  });

  it('a row labelling a clip with a ruled-out class replaces an imported negative; one from review only with overwrite', async () => {
    const v = addVideos(t);
    const run = await t.core.call('classes:create', { name: 'run' });
    const first = write('first.csv', ['path,start,end,label,not', 'a.mp4,6,8,,run']);
    await t.core.call('labels:import', { file: first, format: 'csv' });
    const reviewed = (await clipAt(t, v.a, 100, 150)).id;
    t.session()
      .project.db.prepare(
        `INSERT INTO negative_labels (clip_id, class_id, source, author, created_at) VALUES (?, ?, 'review', 'tester', '2024-01-01T00:00:00Z')`,
      )
      .run(reviewed, run.id);

    const second = write('second.csv', ['path,start,end,label', 'a.mp4,6,8,run', 'a.mp4,4,6,run']);
    const kept = await t.core.call('labels:import', { file: second, format: 'csv' });
    expect(kept.skipped.map((s) => [s.line, s.reason])).toEqual([
      [3, 'clip has “run” ruled out in review (import with overwrite to replace it)'],
    ]);
    expect(kept.notes).toEqual(['1 negative label removed: a row labels the clip with that class.']);
    expect(negatives(t)).toEqual(['a.mp4|100|150|run|review']);

    const replaced = await t.core.call('labels:import', { file: second, format: 'csv', overwrite: true });
    expect(replaced.skipped).toEqual([]);
    expect(negatives(t)).toEqual([]);
    expect((await clipAt(t, v.a, 100, 150)).classId).toBe(run.id);
    await t.core.call('history:undo', {});
    expect(negatives(t)).toEqual(['a.mp4|100|150|run|review']);
  });
});
