import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestProject, type TestProject } from '../../../tests/fixtures/core-harness.js';
import { addFinishedRun, predictionRow, reviewProject, type ReviewProject } from '../../../tests/fixtures/review-project.js';

let t: TestProject;
let p: ReviewProject;
let runId: number;

const PROBS: number[][] = [
  [0.9, 0.05, 0.05],
  [0.5, 0.4, 0.1],
  [0.4, 0.35, 0.25],
  [0.1, 0.8, 0.1],
  [0.2, 0.2, 0.6],
  [0.34, 0.33, 0.33],
  [0.05, 0.94, 0.01],
  [0.7, 0.2, 0.1],
];

const clip = (i: number): number => {
  const c = p.clips[i];
  if (!c) throw new Error(`no clip ${i}`);
  return c.id;
};
const cls = (name: string): number => {
  const c = p.classes.find((x) => x.name === name);
  if (!c) throw new Error(`no class ${name}`);
  return c.id;
};
const negatives = () =>
  t.session().project.db.prepare('SELECT clip_id, class_id FROM negative_labels ORDER BY clip_id, class_id').all();

beforeEach(async () => {
  t = await openTestProject();
  p = await reviewProject(t, ['walk', 'run', 'jump'], 8);
  runId = addFinishedRun(t, p.runClasses, PROBS.map((probs, i) => predictionRow(clip(i), probs)));
});
afterEach(async () => {
  await t.dispose();
});

describe('pseudo-label quality', () => {
  it('counts the newest decision per clip: acceptance per class, reliability bins and ECE', async () => {
    const apply = (i: number, action: 'accept' | 'correct' | 'reject' | 'skip', classId?: number) =>
      t.core.call('review:apply', { runId, clipId: clip(i), action, ...(classId !== undefined ? { classId } : {}) });
    expect(await t.core.call('review:quality', { runId })).toMatchObject({ reviewed: 0, calibrationError: null });

    await apply(0, 'accept'); // walk 0.9
    await apply(6, 'accept'); // run 0.94
    await apply(3, 'reject'); // run 0.8
    await apply(7, 'correct', cls('jump')); // walk 0.7
    await apply(5, 'accept'); // walk 0.34 ...
    await apply(5, 'correct', cls('run')); // ... then corrected: the newest decision counts
    await apply(1, 'skip');
    await apply(4, 'accept');
    await t.core.call('history:undo', {}); // undone: not a decision any more

    const quality = await t.core.call('review:quality', { runId });
    expect(quality.reviewed).toBe(5);
    expect(quality.perClass).toEqual([
      { classId: cls('walk'), reviewed: 3, accepted: 1, corrected: 2, rejected: 0, acceptanceRate: 1 / 3 },
      { classId: cls('run'), reviewed: 2, accepted: 1, corrected: 0, rejected: 1, acceptanceRate: 0.5 },
      { classId: cls('jump'), reviewed: 0, accepted: 0, corrected: 0, rejected: 0, acceptanceRate: null },
    ]);
    expect(quality.reliability).toHaveLength(10);
    const bin = (i: number) => quality.reliability[i];
    expect(bin(9)).toMatchObject({ lo: 0.9, hi: 1, count: 2, accepted: 2, acceptedShare: 1, meanConfidence: expect.closeTo(0.92, 9) });
    expect(bin(8)).toMatchObject({ count: 1, accepted: 0, acceptedShare: 0, meanConfidence: expect.closeTo(0.8, 9) });
    expect(bin(7)).toMatchObject({ count: 1, accepted: 0, meanConfidence: expect.closeTo(0.7, 9) });
    expect(bin(3)).toMatchObject({ lo: 0.3, hi: 0.4, count: 1, accepted: 0, meanConfidence: expect.closeTo(0.34, 9) });
    expect(bin(0)).toEqual({ lo: 0, hi: 0.1, count: 0, accepted: 0, meanConfidence: null, acceptedShare: null });
    // 2/5·|0.92 − 1| + 1/5·0.8 + 1/5·0.7 + 1/5·0.34
    expect(quality.calibrationError).toBeCloseTo(0.4, 9);
  });
});

describe('negative labels', () => {
  it('move with a class merge (dropping duplicates) and go with a class delete; undo brings them back', async () => {
    await t.core.call('review:apply', { runId, clipId: clip(1), action: 'reject' }); // not walk
    await t.core.call('review:apply', { runId, clipId: clip(2), action: 'reject' }); // not walk
    await t.core.call('review:apply', { runId, clipId: clip(2), action: 'reject', classId: cls('run') });
    await t.core.call('review:apply', { runId, clipId: clip(4), action: 'reject' }); // not jump
    const before = negatives();
    expect(before).toHaveLength(4);

    await t.core.call('classes:merge', { sourceId: cls('walk'), targetId: cls('run') });
    expect(negatives()).toEqual([
      { clip_id: clip(1), class_id: cls('run') },
      { clip_id: clip(2), class_id: cls('run') },
      { clip_id: clip(4), class_id: cls('jump') },
    ]);
    await t.core.call('history:undo', {});
    expect(negatives()).toEqual(before);

    await t.core.call('classes:delete', { id: cls('jump') });
    expect(negatives()).toHaveLength(3);
    expect(negatives()).not.toContainEqual({ clip_id: clip(4), class_id: cls('jump') });
    await t.core.call('history:undo', {});
    expect(negatives()).toEqual(before);
  });

  it('and review decisions are journalled with a deleted clip, so undo restores them', async () => {
    await t.core.call('review:apply', { runId, clipId: clip(3), action: 'reject' });
    await t.core.call('review:apply', { runId, clipId: clip(0), action: 'accept' });
    const snapshot = () =>
      ['labels', 'negative_labels', 'reviews'].map((table) =>
        t.session().project.db.prepare(`SELECT * FROM ${table} ORDER BY id`).all(),
      );
    const before = snapshot();
    await t.core.call('clips:delete', { id: clip(3) });
    await t.core.call('clips:delete', { id: clip(0) });
    expect(snapshot()).toEqual([[], [], []]);
    await t.core.call('history:undo', {});
    await t.core.call('history:undo', {});
    expect(snapshot()).toEqual(before);
    // The predictions went with the clips (derived data), so the queue no longer lists them.
    expect((await t.core.call('review:queue', { runId, strategy: 'margin' })).total).toBe(6);
  });
});

describe('a later round', () => {
  it('asks only new questions: labels from review and ruled-out predicted classes count as decided', async () => {
    await t.core.call('review:apply', { runId, clipId: clip(0), action: 'accept' }); // walk
    await t.core.call('review:apply', { runId, clipId: clip(7), action: 'correct', classId: cls('jump') });
    await t.core.call('review:apply', { runId, clipId: clip(3), action: 'reject' }); // not run
    await t.core.call('review:apply', { runId, clipId: clip(4), action: 'reject' }); // not jump
    // The next round predicts clip 0 as run now, clip 3 as run again and clip 4 as walk.
    const next = [...PROBS];
    next[0] = [0.1, 0.8, 0.1];
    next[4] = [0.6, 0.2, 0.2];
    const round2 = addFinishedRun(t, p.runClasses, next.map((probs, i) => predictionRow(clip(i), probs)), { parentRunId: runId });
    const page = await t.core.call('review:queue', { runId: round2, strategy: 'margin', limit: 100 });
    const decided = Object.fromEntries(page.items.filter((i) => i.decision).map((i) => [i.clipId, i.decision?.action]));
    expect(decided).toEqual({ [clip(0)]: 'correct', [clip(7)]: 'correct', [clip(3)]: 'reject' });
    expect(page.pending).toBe(5);
    // Bulk accept leaves them alone too.
    const preview = await t.core.call('review:bulk-preview', { runId: round2, minConfidence: 0 });
    expect(preview.total).toBe(5);
  });

  it('keeps a clip with a class ruled out when the clips are re-cut', async () => {
    await t.core.call('review:apply', { runId, clipId: clip(3), action: 'reject' });
    await t.core.call('segmentation:set', { windowSec: 1, strideSec: 1 });
    await t.core.call('clips:query', { limit: 1000 }); // re-cuts on the next read
    expect(negatives()).toEqual([{ clip_id: clip(3), class_id: cls('run') }]);
    const kept = t.session().project.db.prepare('SELECT start_frame, end_frame FROM clips WHERE id = ?').get(clip(3));
    expect(kept).toEqual({ start_frame: 0, end_frame: 50 });
  });
});

describe('rounds', () => {
  it('retraining needs labels, like starting a run', async () => {
    await expect(t.core.call('review:retrain', { runId })).rejects.toThrow(/Label at least one clip in each of two classes/);
    expect((await t.core.call('runs:rounds', {})).map((r) => r.runId)).toEqual([runId]);
  });

  it('list every run in creation order with labels spent, review labels and validation accuracy', async () => {
    const child = addFinishedRun(t, p.runClasses, [], {
      name: 'child',
      parentRunId: runId,
      dataset: { train: 8, validation: 2, unlabelled: 0, reviewLabels: 3 },
    });
    t.session().training.runs.addEpoch(child, {
      epoch: 1,
      step: 1,
      lr: 0.1,
      loss: 1,
      supervisedLoss: 1,
      unsupervisedLoss: 0,
      maskRate: 0,
      trainAccuracy: 0.5,
      validationAccuracy: 0.75,
      validationLoss: 1,
      classThresholds: null,
      clipsPerSecond: 1,
      seconds: 1,
    });
    const rounds = await t.core.call('runs:rounds', {});
    expect(rounds).toEqual([
      expect.objectContaining({ runId, parentRunId: null, name: 'run', labels: 6, reviewLabels: 0, validationAccuracy: null }),
      expect.objectContaining({ runId: child, parentRunId: runId, labels: 10, reviewLabels: 3, validationAccuracy: 0.75, status: 'succeeded' }),
    ]);
    // The stored review count stays out of the run's dataset counts.
    expect((await t.core.call('runs:get', { id: child })).dataset).toEqual({ train: 8, validation: 2, unlabelled: 0 });
  });
});
