import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestProject, type TestProject } from '../../../../tests/fixtures/core-harness.js';
import { addVideo } from '../../../../tests/fixtures/label-projects.js';
import { addFinishedRun, predictionRow, reviewProject, type ReviewProject } from '../../../../tests/fixtures/review-project.js';
import type { ClipDto } from '../../../shared/dto.js';
import type { PredictionImportFormat } from '../../../shared/run-dto.js';

let t: TestProject;
let p: ReviewProject;
/** /videos/v_abc123.mp4: 250 frames at 25 fps, five 2-second clips. */
let longClips: ClipDto[];
/** /videos/v0.mp4 … v2.mp4: one 2-second clip each. */
let shortClips: ClipDto[];

beforeEach(async () => {
  t = await openTestProject({ author: 'ada' });
  const longId = addVideo(t, { path: '/videos/v_abc123.mp4', rate: '25/1', frames: 250 });
  p = await reviewProject(t, ['walk', 'run', 'jump'], 3);
  longClips = p.clips.filter((c) => c.videoId === longId);
  shortClips = p.clips.filter((c) => c.videoId !== longId);
});
afterEach(async () => {
  await t.dispose();
});

const cls = (name: string): number => {
  const found = p.classes.find((c) => c.name === name);
  if (!found) throw new Error(`no class ${name}`);
  return found.id;
};

function write(name: string, text: string): string {
  const file = path.join(t.tmp, 'files', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

function importFile(file: string, format: PredictionImportFormat, createClasses = false) {
  return t.core.call('predictions:import', { file, format, createClasses });
}

async function predictionsOf(runId: number) {
  const page = await t.core.call('predictions:list', { runId, limit: 100 });
  return new Map(page.items.map((item) => [item.clipId, item]));
}

describe('predictions:import', () => {
  it('reads back what predictions export wrote, as an imported run reviewed like a trained one', async () => {
    const human = shortClips[0]!;
    await t.core.call('labels:set', { clipId: human.id, classId: cls('walk') });
    const probs = [
      [0.9, 0.05, 0.05],
      [0.2, 0.7, 0.1],
      [0.1, 0.3, 0.6],
      [0.34, 0.33, 0.33],
      [0.05, 0.9, 0.05],
      [0.6, 0.3, 0.1],
      [0.2, 0.2, 0.6],
      [0.5, 0.45, 0.05],
    ];
    const trained = addFinishedRun(t, p.runClasses, p.clips.map((c, i) => predictionRow(c.id, probs[i]!)));
    const file = path.join(t.tmp, 'out', 'predictions.csv');
    await t.core.call('predictions:export', { runId: trained, file, format: 'csv' });

    const report = await importFile(file, 'csv');
    expect(report.skipped).toEqual([]);
    expect(report).toMatchObject({ usable: 8, clips: 8, labelledClips: 1, createdClasses: [], unknownClasses: [] });
    expect(report.run).toMatchObject({
      origin: 'imported',
      source: { file, format: 'csv' },
      method: null,
      settings: null,
      hasModel: false,
      status: 'succeeded',
      predictions: 8,
      name: 'Imported predictions.csv',
    });
    const imported = report.run!.id;
    const before = await predictionsOf(trained);
    const after = await predictionsOf(imported);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [clipId, original] of before) {
      expect(after.get(clipId)?.classId).toBe(original.classId);
      expect(after.get(clipId)?.confidence).toBeCloseTo(original.confidence, 5);
    }
    expect((await t.core.call('runs:list', {})).map((r) => [r.id, r.origin])).toEqual([
      [imported, 'imported'],
      [trained, 'trained'],
    ]);

    // Review: the person's label stays, and is left out of the queue; the others are pseudo-labels to decide on.
    const queue = await t.core.call('review:queue', { runId: imported, strategy: 'least-confidence', seed: 1, limit: 100 });
    expect(queue.items.map((i) => i.clipId)).not.toContain(human.id);
    await expect(t.core.call('review:apply', { runId: imported, clipId: human.id, action: 'correct', classId: cls('run') })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const accepted = shortClips[1]!;
    const item = await t.core.call('review:apply', { runId: imported, clipId: accepted.id, action: 'accept' });
    expect(item.labelClassId).toBe(cls('jump'));
    const corrected = shortClips[2]!;
    await t.core.call('review:apply', { runId: imported, clipId: corrected.id, action: 'correct', classId: cls('walk') });
    const clips = new Map((await t.core.call('clips:query', { limit: 100 })).items.map((c) => [c.id, c]));
    expect(clips.get(human.id)).toMatchObject({ classId: cls('walk'), labelSource: 'human' });
    expect(clips.get(accepted.id)).toMatchObject({ classId: cls('jump'), labelSource: 'review' });
    expect(clips.get(corrected.id)).toMatchObject({ classId: cls('walk'), labelSource: 'review' });
  });

  it('reads ActivityNet results by file stem (with or without v_), maps segments onto the clips they cover, and says what it skipped', async () => {
    const file = write(
      'results.json',
      JSON.stringify({
        version: 'VERSION 1.3',
        results: {
          abc123: [
            { label: 'Run', score: 0.8, segment: [1.2, 6.8] },
            { label: 'walk', score: 0.55, segment: [8.1, 8.9] },
            { label: 'dance', score: 0.9, segment: [0, 2] },
            { label: 'walk', score: 1.5, segment: [0, 2] },
            { label: 'walk', score: 0.5, segment: [9, 14] },
          ],
          v_v1: [{ label: 'jump', score: 0.3, segment: [0, 2] }],
          nowhere: [{ label: 'walk', score: 0.5, segment: [0, 1] }],
        },
        external_data: { used: false },
      }),
    );
    const report = await importFile(file, 'activitynet');
    expect(report.skipped.map((s) => [s.where, s.reason])).toEqual([
      ['results["abc123"][2]', 'unknown class “dance”: the project has no class of that name (create it, or import with create classes)'],
      ['results["abc123"][3]', 'confidence 1.5 is not in 0..1'],
      ['results["abc123"][4]', 'out of range: ends at 14 s, past the video\'s end (10 s)'],
      ['results["nowhere"]', 'unknown video “nowhere”: no video in the project is named nowhere.* or v_nowhere.* (its 1 prediction skipped)'],
    ]);
    expect(report.unknownClasses).toEqual(['dance']);
    expect(report).toMatchObject({ usable: 3, clips: 4 });
    const predictions = await predictionsOf(report.run!.id);
    // 1.2–6.8 s is frames 30–170: clips 50–100 and 100–150 whole; 0–50 and 150–200 only 20 frames each.
    expect([...predictions.values()].map((x) => [x.videoId, x.startFrame, x.classId, x.confidence])).toEqual([
      [shortClips[1]!.videoId, 0, cls('jump'), expect.closeTo(0.3, 6)],
      [longClips[0]!.videoId, 50, cls('run'), expect.closeTo(0.8, 6)],
      [longClips[0]!.videoId, 100, cls('run'), expect.closeTo(0.8, 6)],
      [longClips[0]!.videoId, 200, cls('walk'), expect.closeTo(0.55, 6)],
    ]);
    // A confidence below 1/3 is still the predicted class: the rest share what is left.
    expect(predictions.get(shortClips[1]!.id)?.probs).toEqual([expect.closeTo(0.35, 6), expect.closeTo(0.35, 6), expect.closeTo(0.3, 6)]);
  });

  it('creates the classes the file names only when asked', async () => {
    const file = write('new-class.csv', 'path,start,end,label,confidence\n/videos/v0.mp4,0,2,Dance,0.7\n');
    const refused = await importFile(file, 'csv');
    expect(refused.run).toBeNull();
    expect(refused.unknownClasses).toEqual(['Dance']);
    expect(await t.core.call('runs:list', {})).toEqual([]);

    const report = await importFile(file, 'csv', true);
    expect(report.createdClasses).toEqual(['Dance']);
    const dance = (await t.core.call('classes:list', {})).find((c) => c.name === 'Dance');
    expect(report.run?.classes.map((c) => c.name)).toEqual(['walk', 'run', 'jump', 'Dance']);
    expect([...(await predictionsOf(report.run!.id)).values()].map((x) => x.classId)).toEqual([dance?.id]);
  });

  it('reads the predictions of Label Studio tasks and leaves their annotations out', async () => {
    const file = write(
      'tasks.json',
      JSON.stringify([
        {
          id: 1,
          data: { video: '/data/upload/1/0a1b2c3d-v_abc123.mp4', fps: 25 },
          annotations: [{ result: [{ type: 'timelinelabels', value: { ranges: [{ start: 1, end: 50 }], timelinelabels: ['walk'] } }] }],
          predictions: [
            {
              model_version: 'external',
              score: 0.65,
              result: [
                { type: 'timelinelabels', value: { ranges: [{ start: 51, end: 100 }], timelinelabels: ['jump'] } },
                { type: 'timelinelabels', score: 0.9, value: { ranges: [{ start: 101, end: 150 }], timelinelabels: ['run'] } },
              ],
            },
          ],
        },
        { id: 2, data: { video: 'v2.mp4' }, predictions: [{ result: [{ type: 'choices', value: { choices: ['walk'] } }] }] },
      ]),
    );
    const report = await importFile(file, 'labelstudio');
    expect(report.skipped.map((s) => [s.where, s.reason])).toEqual([
      ['task 2 (id 2), prediction 1, result 1', 'no confidence: a prediction needs a score in 0..1 to be ranked in review'],
    ]);
    expect(report.notes).toContain('1 annotation left out: they are labels; import them with “vssl labels import”.');
    const predictions = [...(await predictionsOf(report.run!.id)).values()];
    expect(predictions.map((x) => [x.startFrame, x.classId, x.confidence])).toEqual([
      [50, cls('jump'), expect.closeTo(0.65, 6)],
      [100, cls('run'), expect.closeTo(0.9, 6)],
    ]);
    // The annotation is no label here.
    expect((await t.core.call('clips:query', { filter: 'labelled' })).total).toBe(0);
  });

  it('refuses a file that is not the format, and writes nothing', async () => {
    const groundTruth = write('gt.json', JSON.stringify({ database: { abc123: { annotations: [] } } }));
    await expect(importFile(groundTruth, 'activitynet')).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringMatching(/expected an object with “results”.*This is ground truth \(“database”\): import it with “vssl labels import”/),
    });
    const labelsCsv = write('labels.csv', 'path,start,end,label\n/videos/v0.mp4,0,2,walk\n');
    await expect(importFile(labelsCsv, 'csv')).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining('the first line must be the header path,start,end,label,confidence'),
    });
    const broken = write('broken.json', '{"results": {"abc123": [}');
    await expect(importFile(broken, 'activitynet')).rejects.toMatchObject({ message: expect.stringMatching(/not valid JSON at line 1, column 25/) });
    const notTasks = write('tasks.json', JSON.stringify({ predictions: [] }));
    await expect(importFile(notTasks, 'labelstudio')).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: 'Not a Label Studio JSON file: expected a list of tasks ([{"data": {"video": …}, "annotations": […]}]).',
    });
    expect(await t.core.call('runs:list', {})).toEqual([]);
  });

  it('reports every malformed row of a csv and imports the rest', async () => {
    const file = write(
      'partial.csv',
      [
        'path,start,end,label,confidence,uncertainty',
        'v0.mp4,0,2,walk,0.9,',
        '/videos/v1.mp4,0,2,run,high,',
        '/videos/v1.mp4,0,2,run,,',
        'gone.mp4,0,2,run,0.5,',
        '/videos/v2.mp4,1.5,1,run,0.5,',
        '/videos/v2.mp4,0,2,,0.5,',
        '',
      ].join('\n'),
    );
    const report = await importFile(file, 'csv');
    expect(report.skipped.map((s) => [s.line, s.reason])).toEqual([
      [3, 'malformed row: confidence “high” is not a number'],
      [4, 'no confidence: a prediction needs a score in 0..1 to be ranked in review'],
      [5, 'unknown video “gone.mp4”: no video in the project has this path or file name'],
      [6, 'end ≤ start (1.5 s – 1 s)'],
      [7, 'no label: a prediction names a class'],
    ]);
    // v0.mp4 is relative to the file's folder, where no video is: it matches by file name.
    expect(report.clips).toBe(1);
    expect(report.notes).toContain('1 row matched a video by file name only: no video has the path written in the file.');
  });

  it('keeps an imported run out of what needs a model, saying why', async () => {
    const file = write('one.csv', 'path,start,end,label,confidence\n/videos/v0.mp4,0,2,walk,0.7\n');
    const run = (await importFile(file, 'csv')).run!;
    const why = `Run ${run.id} was imported from one.csv: it has predictions to review but no model or training settings.`;
    await expect(t.core.call('predict:start', { runId: run.id })).rejects.toMatchObject({ code: 'CONFLICT', message: why });
    await expect(t.core.call('models:export', { runId: run.id, dir: path.join(t.tmp, 'model') })).rejects.toMatchObject({ code: 'CONFLICT', message: why });
    await expect(t.core.call('review:retrain', { runId: run.id })).rejects.toMatchObject({ code: 'CONFLICT', message: why });
    await expect(t.core.call('train:resume', { runId: run.id })).rejects.toMatchObject({ code: 'CONFLICT', message: why });
    expect(await t.core.call('runs:rounds', {})).toEqual([]);
    // Its predictions still leave the app like any run's.
    const out = path.join(t.tmp, 'again.csv');
    await t.core.call('predictions:export', { runId: run.id, file: out, format: 'csv' });
    expect(fs.readFileSync(out, 'utf8')).toContain('/videos/v0.mp4,0,2,walk,0.700000,');
  });
});
