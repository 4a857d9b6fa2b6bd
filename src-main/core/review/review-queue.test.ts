import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestProject, type TestProject } from '../../../tests/fixtures/core-harness.js';
import { addFinishedRun, predictionRow, reviewProject, type ReviewProject } from '../../../tests/fixtures/review-project.js';
import type { AcquisitionStrategy } from '../../shared/review.js';

let t: TestProject;
let p: ReviewProject;
let runId: number;

/** Predicted probabilities over (walk, run, jump) of clips 0–8; clip 9 is labelled by a person. */
const PROBS: number[][] = [
  [0.9, 0.05, 0.05],
  [0.5, 0.4, 0.1],
  [0.4, 0.35, 0.25],
  [0.1, 0.8, 0.1],
  [0.2, 0.2, 0.6],
  [0.34, 0.33, 0.33],
  [0.05, 0.94, 0.01],
  [0.7, 0.2, 0.1],
  [0.25, 0.35, 0.4],
  [0.6, 0.3, 0.1],
];
/** MC statistics for three clips only: std of the predicted class, and the mutual information. */
const MC: Record<number, { std: number[]; mutualInfo: number }> = {
  0: { std: [0.3, 0.1, 0.1], mutualInfo: 0.2 },
  3: { std: [0.05, 0.1, 0.05], mutualInfo: 0.4 },
  5: { std: [0.2, 0.1, 0.1], mutualInfo: 0.05 },
};

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
const indexOf = (clipId: number): number => p.clips.findIndex((c) => c.id === clipId);

async function order(strategy: AcquisitionStrategy, seed = 0): Promise<number[]> {
  const page = await t.core.call('review:queue', { runId, strategy, seed, limit: 100 });
  return page.items.map((item) => indexOf(item.clipId));
}

beforeEach(async () => {
  t = await openTestProject({ author: 'ada' });
  p = await reviewProject(t, ['walk', 'run', 'jump']);
  await t.core.call('labels:set', { clipId: clip(9), classId: cls('walk') });
  runId = addFinishedRun(
    t,
    p.runClasses,
    PROBS.map((probs, i) => predictionRow(clip(i), probs, MC[i])),
  );
});
afterEach(async () => {
  await t.dispose();
});

describe('the review queue', () => {
  it('orders the run’s predictions by each strategy, ties by clip, and leaves out what a person labelled', async () => {
    expect(await order('least-confidence')).toEqual([5, 2, 8, 1, 4, 7, 3, 0, 6]);
    expect(await order('margin')).toEqual([5, 2, 8, 1, 4, 7, 3, 0, 6]);
    expect(await order('entropy')).toEqual([5, 2, 8, 4, 1, 7, 3, 0, 6]);
    expect(await order('confident')).toEqual([6, 0, 3, 7, 4, 1, 2, 8, 5]);
    // Without MC statistics a clip goes last, in clip order.
    expect(await order('mc-std')).toEqual([0, 5, 3, 1, 2, 4, 6, 7, 8]);
    expect(await order('bald')).toEqual([3, 0, 5, 1, 2, 4, 6, 7, 8]);
    const random = await order('random', 42);
    expect(await order('random', 42)).toEqual(random);
    expect([...random].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);

    const page = await t.core.call('review:queue', { runId, strategy: 'bald', limit: 2 });
    expect(page).toMatchObject({ runId, strategy: 'bald', total: 9, pending: 9, offset: 0, humanLabelled: 1 });
    const [first] = page.items;
    expect(first).toMatchObject({
      clipId: clip(3),
      videoName: 'v3.mp4',
      startSec: 0,
      endSec: 2,
      predictedClassId: cls('run'),
      uncertainty: expect.closeTo(0.1, 6),
      mutualInfo: expect.closeTo(0.4, 6),
      score: expect.closeTo(0.4, 6),
      decision: null,
      labelClassId: null,
      rejectedClassIds: [],
    });
    expect(first?.probs.map((x) => x.classId)).toEqual([cls('walk'), cls('run'), cls('jump')]);
    expect(first?.probs[1]?.p).toBeCloseTo(0.8, 6);
  });

  it('filters by predicted class, confidence range and video, and pages from a focus clip', async () => {
    const q = (filter: object) => t.core.call('review:queue', { runId, strategy: 'least-confidence', filter, limit: 100 });
    const byClass = await q({ classIds: [cls('run'), cls('jump')] });
    expect(byClass.items.map((i) => indexOf(i.clipId))).toEqual([8, 4, 3, 6]);
    const range = await q({ minConfidence: 0.5, maxConfidence: 0.8 });
    expect(range.items.map((i) => indexOf(i.clipId))).toEqual([1, 4, 7, 3]);
    const video = await q({ videoId: p.clips[9]?.videoId });
    expect(video).toMatchObject({ total: 0, humanLabelled: 1, items: [] });
    await expect(q({ minConfidence: 0.9, maxConfidence: 0.1 })).rejects.toThrow(/lowest confidence is above the highest/);
    // The clips of a confusion-matrix cell, in the strategy's order; with a class filter both apply.
    const cell = await q({ clipIds: [clip(3), clip(1), clip(8)] });
    expect(cell.items.map((i) => indexOf(i.clipId))).toEqual([8, 1, 3]);
    expect((await q({ clipIds: [clip(3), clip(1), clip(8)], classIds: [cls('run'), cls('jump')] })).items.map((i) => indexOf(i.clipId))).toEqual([8, 3]);
    await expect(q({ clipIds: [] })).rejects.toThrow(/A clip filter names at least one clip/);
    // Named clips show even when a person labelled them (validation clips are labelled).
    expect(await q({ clipIds: [clip(9)] })).toMatchObject({ total: 1, humanLabelled: 0, items: [{ clipId: clip(9) }] });

    const focused = await t.core.call('review:queue', {
      runId,
      strategy: 'least-confidence',
      focusClipId: clip(4),
      offset: 0,
      limit: 3,
    });
    expect(focused.offset).toBe(4);
    expect(focused.items.map((i) => indexOf(i.clipId))).toEqual([4, 7, 3]);
    // A focus clip not in the queue: the offset stands.
    const away = await t.core.call('review:queue', { runId, strategy: 'least-confidence', focusClipId: clip(9), offset: 2, limit: 1 });
    expect(away.offset).toBe(2);
    await expect(t.core.call('review:queue', { runId: 999, strategy: 'margin' })).rejects.toThrow(/no training run 999/);
  });
});

describe('review actions', () => {
  const label = async (i: number) => (await t.core.call('clips:query', { limit: 100 })).items.find((c) => c.id === clip(i));
  const history = async () => t.core.call('history:list', { limit: 100 });

  it('accept labels the clip with the predicted class from review; undo and redo take it back and forth', async () => {
    const events: unknown[] = [];
    t.core.events.on('labels:changed', (e) => events.push(e));
    const item = await t.core.call('review:apply', { runId, clipId: clip(5), action: 'accept' });
    expect(item.decision).toMatchObject({ action: 'accept', classId: cls('walk') });
    expect(item.labelClassId).toBe(cls('walk'));
    expect(await label(5)).toMatchObject({ classId: cls('walk'), labelSource: 'review' });
    expect(events).toEqual([{ videoIds: [p.clips[5]?.videoId] }]);
    const queue = await t.core.call('review:queue', { runId, strategy: 'least-confidence' });
    expect(queue).toMatchObject({ total: 9, pending: 8 });
    expect(queue.items[0]?.decision?.action).toBe('accept');
    const pendingOnly = await t.core.call('review:queue', {
      runId,
      strategy: 'least-confidence',
      filter: { includeReviewed: false },
    });
    expect(pendingOnly).toMatchObject({ total: 8, pending: 8 });
    const row = t.session().project.db.prepare('SELECT * FROM reviews').get();
    expect(row).toMatchObject({ run_id: runId, clip_id: clip(5), action: 'accept', predicted_class_id: cls('walk'), author: 'ada' });
    expect((row as { confidence: number }).confidence).toBeCloseTo(0.34);

    await t.core.call('history:undo', {});
    expect((await label(5))?.classId).toBeNull();
    expect((await t.core.call('review:queue', { runId, strategy: 'least-confidence' })).pending).toBe(9);
    expect(t.session().project.db.prepare('SELECT COUNT(*) AS n FROM reviews').get()).toEqual({ n: 0 });
    await t.core.call('history:redo', {});
    expect(await label(5)).toMatchObject({ classId: cls('walk'), labelSource: 'review' });
    expect((await t.core.call('review:queue', { runId, strategy: 'least-confidence' })).items[0]?.decision?.action).toBe('accept');
  });

  it('correct gives the right class; a second decision on the clip replaces the review label', async () => {
    await t.core.call('review:apply', { runId, clipId: clip(2), action: 'accept' });
    const item = await t.core.call('review:apply', { runId, clipId: clip(2), action: 'correct', classId: cls('jump') });
    expect(item.decision).toMatchObject({ action: 'correct', classId: cls('jump') });
    expect(await label(2)).toMatchObject({ classId: cls('jump'), labelSource: 'review' });
    expect(t.session().project.db.prepare('SELECT COUNT(*) AS n FROM labels WHERE clip_id = ?').get(clip(2))).toEqual({ n: 1 });
    await t.core.call('history:undo', {});
    expect(await label(2)).toMatchObject({ classId: cls('walk'), labelSource: 'review' });
    await t.core.call('history:undo', {});
    expect((await label(2))?.classId).toBeNull();
    await t.core.call('history:redo', {});
    await t.core.call('history:redo', {});
    expect((await label(2))?.classId).toBe(cls('jump'));
    await expect(t.core.call('review:apply', { runId, clipId: clip(2), action: 'correct' })).rejects.toThrow(
      /correction needs the right class/,
    );
    await expect(t.core.call('review:apply', { runId, clipId: clip(2), action: 'correct', classId: 999 })).rejects.toThrow(
      /no class 999/,
    );
  });

  it('reject stores “not this class” and drops a review label of it; undo and redo restore both', async () => {
    const item = await t.core.call('review:apply', { runId, clipId: clip(1), action: 'reject' });
    expect(item).toMatchObject({ decision: { action: 'reject', classId: cls('walk') }, rejectedClassIds: [cls('walk')], labelClassId: null });
    const negatives = () => t.session().project.db.prepare('SELECT clip_id, class_id, source FROM negative_labels').all();
    expect(negatives()).toEqual([{ clip_id: clip(1), class_id: cls('walk'), source: 'review' }]);
    await t.core.call('history:undo', {});
    expect(negatives()).toEqual([]);
    await t.core.call('history:redo', {});
    expect(negatives()).toHaveLength(1);

    // Accepted first, then ruled out: the review label goes, the negative label comes.
    await t.core.call('review:apply', { runId, clipId: clip(8), action: 'accept' });
    await t.core.call('review:apply', { runId, clipId: clip(8), action: 'reject', classId: cls('jump') });
    expect((await label(8))?.classId).toBeNull();
    expect(negatives()).toContainEqual({ clip_id: clip(8), class_id: cls('jump'), source: 'review' });
    // Accepting removes "not that class" again.
    const accepted = await t.core.call('review:apply', { runId, clipId: clip(8), action: 'accept' });
    expect(accepted.rejectedClassIds).toEqual([]);
    expect(accepted.labelClassId).toBe(cls('jump'));
    await t.core.call('history:undo', {});
    expect(negatives()).toContainEqual({ clip_id: clip(8), class_id: cls('jump'), source: 'review' });
  });

  it('skip is recorded but decides nothing and is not undoable', async () => {
    const before = (await history()).length;
    const item = await t.core.call('review:apply', { runId, clipId: clip(4), action: 'skip' });
    expect(item.decision).toBeNull();
    expect((await history()).length).toBe(before);
    expect(t.session().project.db.prepare('SELECT action, class_id FROM reviews').all()).toEqual([{ action: 'skip', class_id: null }]);
    expect((await t.core.call('review:queue', { runId, strategy: 'margin' })).pending).toBe(9);
  });

  it('never touches a clip a person labelled, and says which clip', async () => {
    for (const action of ['accept', 'reject', 'skip'] as const) {
      await expect(t.core.call('review:apply', { runId, clipId: clip(9), action })).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(new RegExp(`Clip ${clip(9)} \\(v9\\.mp4, 0\\.00–2\\.00 s\\) was labelled “walk” by a person`)),
      });
    }
    expect(await label(9)).toMatchObject({ classId: cls('walk'), labelSource: 'human' });
    // A person labelling a reviewed clip takes it out of the queue.
    await t.core.call('review:apply', { runId, clipId: clip(0), action: 'accept' });
    await t.core.call('labels:set', { clipId: clip(0), classId: cls('run') });
    expect(await t.core.call('review:queue', { runId, strategy: 'margin' })).toMatchObject({ total: 8, humanLabelled: 2 });
    await expect(t.core.call('review:apply', { runId, clipId: clip(9) + 1000, action: 'accept' })).rejects.toThrow(
      /has no prediction for clip/,
    );
  });

  it('bulk accept labels exactly what the preview counted, as one undoable entry', async () => {
    await t.core.call('review:apply', { runId, clipId: clip(3), action: 'reject' });
    const preview = await t.core.call('review:bulk-preview', { runId, minConfidence: 0.7 });
    // 0.94 (run), 0.9 (walk), 0.7 (walk); clip 3 (0.8) is decided already.
    expect(preview).toEqual({
      runId,
      minConfidence: 0.7,
      total: 3,
      perClass: [
        { classId: cls('walk'), count: 2 },
        { classId: cls('run'), count: 1 },
      ],
    });
    const filtered = await t.core.call('review:bulk-preview', { runId, minConfidence: 0.7, filter: { classIds: [cls('run')] } });
    expect(filtered.total).toBe(1);

    const entries = (await history()).length;
    const report = await t.core.call('review:bulk-accept', { runId, minConfidence: 0.7 });
    expect(report).toMatchObject({ total: preview.total, perClass: preview.perClass });
    expect(report.historyId).toBe((await history())[0]?.id);
    expect((await history()).length).toBe(entries + 1);
    for (const i of [6, 0, 7]) expect((await label(i))?.labelSource).toBe('review');
    expect((await t.core.call('review:queue', { runId, strategy: 'confident' })).pending).toBe(5);
    expect((await t.core.call('review:bulk-preview', { runId, minConfidence: 0.7 })).total).toBe(0);
    expect((await t.core.call('review:bulk-accept', { runId, minConfidence: 0.7 })).historyId).toBeNull();

    await t.core.call('history:undo', {});
    for (const i of [6, 0, 7]) expect((await label(i))?.classId).toBeNull();
    expect((await t.core.call('review:bulk-preview', { runId, minConfidence: 0.7 })).total).toBe(3);
  });
});

describe('the review session', () => {
  it('defaults to the latest finished run, persists across reopening, and falls back when its run is deleted', async () => {
    const initial = await t.core.call('review:session:get', {});
    expect(initial).toMatchObject({ runId, strategy: 'least-confidence', clipId: null, filter: { minConfidence: 0, maxConfidence: 1 } });
    expect(await t.core.call('review:session:get', {})).toEqual(initial);

    const set = await t.core.call('review:session:set', { strategy: 'bald', clipId: clip(3), filter: { minConfidence: 0.2 } });
    expect(set).toMatchObject({ runId, strategy: 'bald', clipId: clip(3), seed: initial.seed, filter: { minConfidence: 0.2 } });
    await t.core.call('project:close', {});
    await t.core.call('project:open', { path: t.projectDir });
    expect(await t.core.call('review:session:get', {})).toEqual(set);
    await expect(t.core.call('review:session:set', { runId: 999 })).rejects.toThrow(/no training run 999/);

    const second = addFinishedRun(t, p.runClasses, [predictionRow(clip(0), [0.5, 0.3, 0.2])], { name: 'second' });
    expect(await t.core.call('review:session:set', { runId: second })).toMatchObject({ runId: second, clipId: null, strategy: 'bald' });
    await t.core.call('runs:delete', { id: second });
    expect(await t.core.call('review:session:get', {})).toMatchObject({ runId, clipId: null, strategy: 'bald' });
  });
});
