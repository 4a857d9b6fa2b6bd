import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestProject, type TestProject } from '../../../tests/fixtures/core-harness.js';
import { Core } from '../core.js';

let t: TestProject;

/** Registers a probed video without running ffmpeg: labelling only needs its timing. */
function addVideo(name: string, fps: string, fpsValue: number, frames: number, startTime = 0): number {
  const row = t.session().videos.upsert({
    path: `${t.media}/${name}`, name, hash: `hash-${name}`, size: 1000, mtime_ms: 0, status: 'ready', error: null,
    duration_sec: frames / fpsValue, frame_count: frames, avg_frame_rate: fps, real_frame_rate: fps, fps: fpsValue,
    start_time: startTime, width: 160, height: 120, codec: 'h264', pixel_format: 'yuv420p', container: 'mp4',
    rotation: 0, has_audio: 0, playable: 1, proxy_state: 'none', proxy_path: null, poster_path: null, probe_json: null,
  });
  return row.id;
}

beforeEach(async () => {
  t = await openTestProject({ author: 'tester' });
});
afterEach(async () => t.dispose());

describe('classes', () => {
  it('get hotkeys 1–9 then free letters, and refuse clashing names and keys', async () => {
    const made = [];
    for (let i = 0; i < 11; i++) made.push(await t.core.call('classes:create', { name: `c${i}` }));
    expect(made.map((c) => c.hotkey)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b']);
    await expect(t.core.call('classes:create', { name: 'C0' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(t.core.call('classes:update', { id: made[1]!.id, hotkey: '1' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('already labels “c0”'),
    });
    await expect(t.core.call('classes:update', { id: made[1]!.id, hotkey: 'n' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('rename, recolour, reorder and archive without touching labels', async () => {
    const video = addVideo('a.mp4', '25/1', 25, 100);
    const walk = await t.core.call('classes:create', { name: 'walk' });
    const run = await t.core.call('classes:create', { name: 'run' });
    const [clip] = await t.core.call('clips:list', { videoId: video });
    await t.core.call('labels:set', { clipId: clip!.id, classId: walk.id });
    const renamed = await t.core.call('classes:update', { id: walk.id, name: 'stroll', color: '#112233' });
    expect(renamed).toMatchObject({ name: 'stroll', color: '#112233', labelCount: 1 });
    const order = await t.core.call('classes:reorder', { ids: [run.id, walk.id] });
    expect(order.map((c) => c.name)).toEqual(['run', 'stroll']);
    expect((await t.core.call('classes:archive', { id: walk.id, archived: true })).archived).toBe(true);
    expect((await t.core.call('clips:list', { videoId: video }))[0]?.classId).toBe(walk.id);
  });

  it('merge moves every label to the target and never loses one', async () => {
    const video = addVideo('a.mp4', '25/1', 25, 250);
    const a = await t.core.call('classes:create', { name: 'jog' });
    const b = await t.core.call('classes:create', { name: 'run' });
    const clips = await t.core.call('clips:list', { videoId: video });
    await t.core.call('labels:set', { clipId: clips[0]!.id, classId: a.id });
    await t.core.call('labels:set', { clipId: clips[1]!.id, classId: a.id });
    await t.core.call('labels:set', { clipId: clips[2]!.id, classId: b.id });
    const merged = await t.core.call('classes:merge', { sourceId: a.id, targetId: b.id });
    expect(merged.labelCount).toBe(3);
    expect((await t.core.call('classes:list', {})).map((c) => c.name)).toEqual(['run']);
  });

  it('delete asks for the number of labels it removes', async () => {
    const video = addVideo('a.mp4', '25/1', 25, 100);
    const walk = await t.core.call('classes:create', { name: 'walk' });
    const [clip] = await t.core.call('clips:list', { videoId: video });
    await t.core.call('labels:set', { clipId: clip!.id, classId: walk.id });
    await expect(t.core.call('classes:delete', { id: walk.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('removes its 1 label'),
    });
    expect(await t.core.call('classes:delete', { id: walk.id, confirmLabels: 1 })).toEqual({ removedLabels: 1 });
    expect((await t.core.call('clips:list', { videoId: video }))[0]?.classId).toBeNull();
  });
});

describe('clips', () => {
  it('cut every video into 2 s windows on exact frames, the tail included', async () => {
    const video = addVideo('ntsc.mp4', '30000/1001', 30000 / 1001, 200);
    const clips = await t.core.call('clips:list', { videoId: video });
    expect(clips.map((c) => [c.startFrame, c.endFrame])).toEqual([
      [0, 60],
      [60, 120],
      [120, 180],
      [180, 200],
    ]);
    expect(clips[1]!.startSec).toBeCloseTo(60 / (30000 / 1001), 9);
    expect(clips.every((c) => c.origin === 'auto' && c.classId === null)).toBe(true);
  });

  it('draw, move, split and merge segments with frames and seconds in step', async () => {
    const video = addVideo('a.mp4', '25/1', 25, 100, 10);
    const drawn = await t.core.call('clips:create', { videoId: video, startFrame: 10, endFrame: 40 });
    expect(drawn).toMatchObject({ origin: 'user', startSec: 0.4, endSec: 1.6 });
    const nudged = await t.core.call('clips:update', { id: drawn.id, startFrame: 11, endFrame: 40 });
    expect(nudged.startSec).toBeCloseTo(0.44, 9);
    const walk = await t.core.call('classes:create', { name: 'walk' });
    await t.core.call('labels:set', { clipId: drawn.id, classId: walk.id });
    const [first, second] = await t.core.call('clips:split', { id: drawn.id, frame: 20 });
    expect([first!.startFrame, first!.endFrame, second!.startFrame, second!.endFrame]).toEqual([11, 20, 20, 40]);
    expect(second!.classId).toBe(walk.id);
    const merged = await t.core.call('clips:merge', { ids: [second!.id, first!.id] });
    expect([merged.startFrame, merged.endFrame, merged.classId]).toEqual([11, 40, walk.id]);
    await expect(t.core.call('clips:create', { videoId: video, startFrame: 90, endFrame: 101 })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
      message: expect.stringContaining('past the end'),
    });
    await expect(t.core.call('clips:split', { id: merged.id, frame: 11 })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    });
  });

  it('filter clips across the project by labelled, unlabelled and class', async () => {
    const v1 = addVideo('a.mp4', '25/1', 25, 100);
    addVideo('b.mp4', '25/1', 25, 100);
    const walk = await t.core.call('classes:create', { name: 'walk' });
    const [clip] = await t.core.call('clips:list', { videoId: v1 });
    await t.core.call('labels:toggle', { clipId: clip!.id, classId: walk.id });
    expect((await t.core.call('clips:query', { filter: 'unlabelled' })).total).toBe(3);
    expect((await t.core.call('clips:query', { filter: 'labelled' })).items.map((c) => c.id)).toEqual([clip!.id]);
    expect((await t.core.call('clips:query', { classId: walk.id })).total).toBe(1);
    const stats = await t.core.call('labels:stats', {});
    expect(stats).toMatchObject({ totalClips: 4, labelledClips: 1, perClass: [{ classId: walk.id, clips: 1 }] });
  });
});

describe('labels and history', () => {
  it('a class key labels a clip and a second press removes the label', async () => {
    const video = addVideo('a.mp4', '25/1', 25, 100);
    const walk = await t.core.call('classes:create', { name: 'walk' });
    const run = await t.core.call('classes:create', { name: 'run' });
    const [clip] = await t.core.call('clips:list', { videoId: video });
    expect((await t.core.call('labels:toggle', { clipId: clip!.id, classId: walk.id })).classId).toBe(walk.id);
    expect((await t.core.call('labels:toggle', { clipId: clip!.id, classId: run.id })).classId).toBe(run.id);
    expect((await t.core.call('labels:toggle', { clipId: clip!.id, classId: run.id })).classId).toBeNull();
  });

  it('undo and redo survive closing and reopening the project', async () => {
    const video = addVideo('a.mp4', '25/1', 25, 250);
    const walk = await t.core.call('classes:create', { name: 'walk' });
    const clips = await t.core.call('clips:list', { videoId: video });
    for (const clip of clips.slice(0, 4)) await t.core.call('labels:set', { clipId: clip.id, classId: walk.id });
    await t.core.call('history:undo', {});
    await t.core.call('history:undo', {});

    await t.core.call('project:close', {});
    const reopened = new Core({ mode: 'cli', userDataDir: `${t.tmp}/user`, author: 'tester' });
    await reopened.call('project:open', { path: t.projectDir });
    const labelled = async () =>
      (await reopened.call('clips:list', { videoId: video })).filter((c) => c.classId !== null).map((c) => c.id);
    expect(await labelled()).toEqual(clips.slice(0, 2).map((c) => c.id));
    const redo = await reopened.call('history:redo', {});
    expect(redo).toMatchObject({ entry: { description: 'Label a clip “walk”', author: 'tester' }, canRedo: 1 });
    expect(await labelled()).toEqual(clips.slice(0, 3).map((c) => c.id));
    // A new change ends the redo branch.
    await reopened.call('labels:set', { clipId: clips[4]!.id, classId: walk.id });
    expect((await reopened.call('history:redo', {})).entry).toBeNull();
    await reopened.close();
  });

  it('undo brings back a deleted clip together with its label, and a deleted class with its labels', async () => {
    const video = addVideo('a.mp4', '25/1', 25, 100);
    const walk = await t.core.call('classes:create', { name: 'walk' });
    const [clip] = await t.core.call('clips:list', { videoId: video });
    await t.core.call('labels:set', { clipId: clip!.id, classId: walk.id });
    await t.core.call('clips:delete', { id: clip!.id });
    await t.core.call('history:undo', {});
    expect((await t.core.call('clips:list', { videoId: video }))[0]).toMatchObject({ id: clip!.id, classId: walk.id });
    await t.core.call('classes:delete', { id: walk.id, confirmLabels: 1 });
    await t.core.call('history:undo', {});
    expect((await t.core.call('classes:list', {}))[0]).toMatchObject({ name: 'walk', labelCount: 1 });
  });

  it('removing videos is one undoable change that brings back their clips, labels and anomaly marks', async () => {
    const a = addVideo('a.mp4', '25/1', 25, 100);
    const b = addVideo('b.mp4', '25/1', 25, 100);
    const walk = await t.core.call('classes:create', { name: 'walk' });
    const run = await t.core.call('classes:create', { name: 'run' });
    const clipsA = await t.core.call('clips:list', { videoId: a });
    const [clipB] = await t.core.call('clips:list', { videoId: b });
    await t.core.call('labels:set', { clipId: clipsA[0]!.id, classId: walk.id });
    await t.core.call('labels:set', { clipId: clipsA[1]!.id, classId: walk.id });
    await t.core.call('labels:set', { clipId: clipB!.id, classId: run.id });
    await t.core.call('anomaly:marks:add', { videoId: b, startFrame: 5, endFrame: 20, kind: 'anomaly' });

    expect(await t.core.call('videos:remove:preview', { ids: [a, b] })).toEqual({
      videos: 2,
      clips: clipsA.length * 2,
      labels: [
        { classId: walk.id, name: 'walk', count: 2 },
        { classId: run.id, name: 'run', count: 1 },
      ],
      predictions: 0,
      anomalyMarks: 1,
    });
    expect(await t.core.call('videos:remove', { ids: [a, b] })).toEqual({ removed: 2 });
    expect(await t.core.call('videos:list', {})).toEqual([]);
    const [entry] = await t.core.call('history:list', {});
    expect(entry).toMatchObject({ action: 'videos:remove', description: 'Remove 2 videos (a.mp4, b.mp4)', clips: clipsA.length * 2 });

    const undone = await t.core.call('history:undo', {});
    expect(undone.entry).toMatchObject({ action: 'videos:remove', undone: true });
    expect((await t.core.call('videos:list', {})).map((v) => v.id)).toEqual([a, b]);
    expect((await t.core.call('clips:list', { videoId: a })).map((c) => [c.id, c.classId])).toEqual(
      clipsA.map((c, i) => [c.id, i < 2 ? walk.id : null]),
    );
    expect((await t.core.call('clips:list', { videoId: b }))[0]).toMatchObject({ id: clipB!.id, classId: run.id });
    expect(await t.core.call('anomaly:marks:list', { videoId: b })).toMatchObject([{ startFrame: 5, endFrame: 20 }]);
    expect((await t.core.call('classes:list', {})).map((c) => c.labelCount)).toEqual([2, 1]);

    // Redo removes them again; the label changes further down the stack still undo.
    await t.core.call('history:redo', {});
    expect(await t.core.call('videos:list', {})).toEqual([]);
    await t.core.call('history:undo', {});
    await expect(t.core.call('history:undo', {})).resolves.toMatchObject({ entry: { action: 'anomaly:marks:add' } });
  });
});
