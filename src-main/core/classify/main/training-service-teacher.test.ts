/**
 * What the training service checks before it queues a VideoSSL run: a teacher folder holding a
 * TF.js model.json, on start and again on resume. A real project (SQLite file) and real folders.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestProject, type TestProject } from '../../../../tests/fixtures/core-harness.js';
import { addVideo } from '../../../../tests/fixtures/label-projects.js';
import { defaultTrainSettings, TEACHER_NEEDED } from '../../../shared/training.js';

let t: TestProject;
let teacher: string;

beforeEach(async () => {
  t = await openTestProject();
  teacher = path.join(t.tmp, 'teacher');
  fs.mkdirSync(teacher);
  fs.writeFileSync(path.join(teacher, 'model.json'), JSON.stringify({ modelTopology: {}, weightsManifest: [] }));
});
afterEach(async () => {
  await t.dispose();
});

/** Four one-clip videos, every clip labelled: a semi-supervised start gets as far as "no unlabelled clip". */
async function allLabelled(): Promise<void> {
  for (let i = 0; i < 4; i++) addVideo(t, { path: `/videos/v${i}.mp4`, rate: '25/1', frames: 50 });
  const clips = (await t.core.call('clips:query', { limit: 100 })).items;
  const a = await t.core.call('classes:create', { name: 'a' });
  const b = await t.core.call('classes:create', { name: 'b' });
  for (const [i, clip] of clips.entries()) await t.core.call('labels:set', { clipId: clip.id, classId: i % 2 ? a.id : b.id });
}

const EVERY_CLIP_LABELLED = /VideoSSL \(image teacher\) learns from unlabelled clips and every clip is labelled/;

describe('starting a VideoSSL run', () => {
  it('needs a teacher, and says so before anything else', async () => {
    await allLabelled();
    await expect(t.core.call('train:start', { settings: { method: 'videossl' } })).rejects.toThrow(TEACHER_NEEDED);
    await expect(t.core.call('train:start', { settings: { method: 'videossl' } })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    expect(await t.core.call('runs:list', {})).toEqual([]);
  });

  it('names the folder that is missing, is a file, or has no model.json', async () => {
    await allLabelled();
    const start = (teacherDir: string) => t.core.call('train:start', { settings: { method: 'videossl', teacherDir } });
    const missing = path.join(t.tmp, 'nowhere');
    await expect(start(missing)).rejects.toThrow(`The teacher folder ${missing} does not exist`);
    const file = path.join(teacher, 'model.json');
    await expect(start(file)).rejects.toThrow(`The teacher folder ${file} is a file`);
    const empty = path.join(t.tmp, 'empty');
    fs.mkdirSync(empty);
    await expect(start(empty)).rejects.toThrow(`The teacher folder ${empty} has no model.json`);
    await expect(start('teacher')).rejects.toThrow(/absolute path/);
    expect(await t.core.call('runs:list', {})).toEqual([]);
  });

  it('goes on to the usual checks with a teacher folder, and other methods ignore the setting', async () => {
    await allLabelled();
    await expect(t.core.call('train:start', { settings: { method: 'videossl', teacherDir: teacher } })).rejects.toThrow(
      EVERY_CLIP_LABELLED,
    );
    await expect(
      t.core.call('train:start', { settings: { method: 'fixmatch', teacherDir: path.join(t.tmp, 'nowhere') } }),
    ).rejects.toThrow(/FixMatch learns from unlabelled clips/);
  });

  it('checks the teacher again on resume: it may have moved since', async () => {
    await allLabelled();
    const { runs } = t.session().training;
    const id = runs.create({
      name: 'r',
      settings: { ...defaultTrainSettings('videossl'), teacherDir: teacher, epochs: 5 },
      classes: (await t.core.call('classes:list', {})).map((c) => ({ id: c.id, name: c.name })),
      dataset: { train: 4, validation: 0, unlabelled: 0 },
    });
    runs.update(id, { status: 'cancelled', epochsDone: 2 });
    expect((await t.core.call('runs:get', { id })).resumable).toBe(true);
    fs.rmSync(teacher, { recursive: true });
    await expect(t.core.call('train:resume', { runId: id })).rejects.toThrow(`The teacher folder ${teacher} does not exist`);
    expect(await t.core.call('runs:get', { id })).toMatchObject({ status: 'cancelled', jobId: null });
  });
});
