import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejection } from '../../../../../tests/fixtures/api-rejection.js';
import { importAndWait } from '../../../../../tests/fixtures/core-harness.js';
import { makeVideo } from '../../../../../tests/fixtures/make-videos.js';
import { openAnomalyDataProject, type AnomalyDataProject } from '../../../../../tests/fixtures/anomaly-data-project.js';
import { markServiceFor } from '../anomaly-data-handlers.js';

let p: AnomalyDataProject;
let a: number;
let b: number;

/** Marks as `kind:start-end` per video, in order: the whole state at a glance. */
const marksOf = async (videoId?: number) =>
  (await p.call('anomaly:marks:list', videoId === undefined ? {} : { videoId })).map(
    (m) => `${m.videoId === a ? 'a' : 'b'}:${m.kind}:${m.startFrame}-${m.endFrame}`,
  );

beforeEach(async () => {
  p = await openAnomalyDataProject();
  a = p.addVideo({ path: '/videos/a.mp4', frames: 100 });
  b = p.addVideo({ path: '/videos/b.mp4', frames: 50 });
});
afterEach(async () => {
  await p.dispose();
});

describe('anomaly marks', () => {
  it('adds, updates and deletes marks, each one undoable history entry with a readable description', async () => {
    const added = await p.call('anomaly:marks:add', { videoId: a, startFrame: 10, endFrame: 20, kind: 'anomaly' });
    expect(added).toMatchObject({ videoId: a, startFrame: 10, endFrame: 20, kind: 'anomaly', source: 'human' });
    const updated = await p.call('anomaly:marks:update', { id: added.id, endFrame: 30 });
    expect(updated).toMatchObject({ id: added.id, startFrame: 10, endFrame: 30 });
    await p.call('anomaly:marks:delete', { id: added.id });
    expect(await marksOf()).toEqual([]);

    const history = await p.t.core.call('history:list', { limit: 10 });
    expect(history.map((h) => h.description)).toEqual([
      'Remove the anomalous mark on frames 10–29 of a.mp4',
      'Change the anomalous mark on frames 10–19 of a.mp4 (frames 10–29)',
      'Mark frames 10–19 of a.mp4 anomalous',
    ]);
    expect(history.map((h) => h.author)).toEqual(['tester', 'tester', 'tester']);

    const undone = await p.t.core.call('history:undo', {});
    expect(undone.entry?.description).toBe('Remove the anomalous mark on frames 10–29 of a.mp4');
    expect(await marksOf()).toEqual(['a:anomaly:10-30']);
    await p.t.core.call('history:undo', {});
    expect(await marksOf()).toEqual(['a:anomaly:10-20']);
    await p.t.core.call('history:undo', {});
    expect(await marksOf()).toEqual([]);
    await p.t.core.call('history:redo', {});
    await p.t.core.call('history:redo', {});
    expect(await marksOf()).toEqual(['a:anomaly:10-30']);
    // The restored row is the same mark (same id), so the UI's selection survives undo and redo.
    expect((await p.call('anomaly:marks:list', {}))[0]?.id).toBe(added.id);
    expect(p.markEvents.slice(0, 3)).toEqual([{ videoIds: [a] }, { videoIds: [a] }, { videoIds: [a] }]);
  });

  it('merges a mark into the marks of its kind it overlaps or touches, and keeps other kinds apart', async () => {
    await p.call('anomaly:marks:add', { videoId: a, startFrame: 10, endFrame: 20, kind: 'anomaly' });
    await p.call('anomaly:marks:add', { videoId: a, startFrame: 40, endFrame: 50, kind: 'anomaly' });
    await p.call('anomaly:marks:add', { videoId: a, startFrame: 0, endFrame: 100, kind: 'normal' });
    await p.call('anomaly:marks:add', { videoId: b, startFrame: 15, endFrame: 45, kind: 'anomaly' });
    expect(await marksOf()).toEqual(['a:normal:0-100', 'a:anomaly:10-20', 'a:anomaly:40-50', 'b:anomaly:15-45']);

    // Overlaps the first and touches the second: one interval from 10 to 50.
    const merged = await p.call('anomaly:marks:add', { videoId: a, startFrame: 15, endFrame: 40, kind: 'anomaly' });
    expect(merged).toMatchObject({ startFrame: 10, endFrame: 50, kind: 'anomaly' });
    expect(await marksOf(a)).toEqual(['a:normal:0-100', 'a:anomaly:10-50']);

    // Inside a mark of its kind: nothing changes and no history entry is written.
    const before = (await p.t.core.call('history:list', { limit: 100 })).length;
    const inside = await p.call('anomaly:marks:add', { videoId: a, startFrame: 20, endFrame: 30, kind: 'anomaly' });
    expect(inside.id).toBe(merged.id);
    expect((await p.t.core.call('history:list', { limit: 100 })).length).toBe(before);

    // One undo takes the whole merge back.
    await p.t.core.call('history:undo', {});
    expect(await marksOf(a)).toEqual(['a:normal:0-100', 'a:anomaly:10-20', 'a:anomaly:40-50']);
  });

  it('merges a mark moved or re-kinded onto its new neighbours', async () => {
    const first = await p.call('anomaly:marks:add', { videoId: a, startFrame: 0, endFrame: 10, kind: 'normal' });
    await p.call('anomaly:marks:add', { videoId: a, startFrame: 20, endFrame: 30, kind: 'anomaly' });
    const moved = await p.call('anomaly:marks:update', { id: first.id, startFrame: 25, endFrame: 35, kind: 'anomaly' });
    expect(moved).toMatchObject({ id: first.id, startFrame: 20, endFrame: 35, kind: 'anomaly' });
    expect(await marksOf(a)).toEqual(['a:anomaly:20-35']);
    const [entry] = await p.t.core.call('history:list', { limit: 1 });
    expect(entry?.description).toBe('Change the normal mark on frames 0–9 of a.mp4 to anomalous (frames 25–34)');
    await p.t.core.call('history:undo', {});
    expect(await marksOf(a)).toEqual(['a:normal:0-10', 'a:anomaly:20-30']);
  });

  it('marks whole videos as one entry, from frame 0 to the frame count', async () => {
    await p.call('anomaly:marks:add', { videoId: b, startFrame: 5, endFrame: 10, kind: 'normal' });
    const service = markServiceFor(p.t.session(), p.t.core.events);
    const marks = service.markWholeVideos([a, b, a], 'normal');
    expect(marks.map((m) => [m.videoId, m.startFrame, m.endFrame])).toEqual([
      [a, 0, 100],
      [b, 0, 50],
    ]);
    expect(await marksOf()).toEqual(['a:normal:0-100', 'b:normal:0-50']);
    const [entry] = await p.t.core.call('history:list', { limit: 1 });
    expect(entry?.description).toBe('Mark 2 whole videos normal');
    await p.t.core.call('history:undo', {});
    expect(await marksOf()).toEqual(['b:normal:5-10']);

    expect(service.markWholeVideos([a], 'anomaly').map((m) => m.endFrame)).toEqual([100]);
    expect((await p.t.core.call('history:list', { limit: 1 }))[0]?.description).toBe('Mark all of a.mp4 anomalous');
  });

  it('gives the footage marked normal without its anomaly-marked frames (what training learns from)', async () => {
    const service = markServiceFor(p.t.session(), p.t.core.events);
    service.markWholeVideos([a], 'normal');
    await p.call('anomaly:marks:add', { videoId: a, startFrame: 30, endFrame: 40, kind: 'anomaly' });
    await p.call('anomaly:marks:add', { videoId: b, startFrame: 0, endFrame: 10, kind: 'anomaly' });
    expect(service.normalFootage()).toEqual([
      { videoId: a, path: '/videos/a.mp4', startFrame: 0, endFrame: 30 },
      { videoId: a, path: '/videos/a.mp4', startFrame: 40, endFrame: 100 },
    ]);
  });

  it('refuses marks outside the video, backwards, on unknown videos or on videos of unknown length', async () => {
    const past = await rejection(p.call('anomaly:marks:add', { videoId: b, startFrame: 40, endFrame: 51, kind: 'anomaly' }));
    expect(past.code).toBe('INVALID_PARAMS');
    expect(past.message).toBe('The mark runs to frame 50, past the end of b.mp4, which has 50 frames (0–49).');

    const backwards = await rejection(p.call('anomaly:marks:add', { videoId: b, startFrame: 10, endFrame: 10, kind: 'anomaly' }));
    expect(backwards.code).toBe('INVALID_PARAMS');
    expect(backwards.message).toContain('A mark ends after it starts.');

    const missing = await rejection(p.call('anomaly:marks:add', { videoId: 999, startFrame: 0, endFrame: 1, kind: 'normal' }));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'There is no video 999.' });
    expect((await rejection(p.call('anomaly:marks:list', { videoId: 999 }))).code).toBe('NOT_FOUND');

    const mark = await p.call('anomaly:marks:add', { videoId: b, startFrame: 10, endFrame: 20, kind: 'anomaly' });
    const flipped = await rejection(p.call('anomaly:marks:update', { id: mark.id, startFrame: 25 }));
    expect(flipped).toMatchObject({
      code: 'INVALID_PARAMS',
      message: 'A mark ends after it starts: it starts at frame 25 and ends at 20.',
    });
    expect(await rejection(p.call('anomaly:marks:update', { id: 12345, endFrame: 5 }))).toMatchObject({
      code: 'NOT_FOUND',
      message: 'There is no anomaly mark 12345.',
    });
    expect((await rejection(p.call('anomaly:marks:delete', { id: 12345 }))).code).toBe('NOT_FOUND');

    const unknown = p.addVideo({ path: '/videos/broken.mp4', frames: 0 });
    const service = markServiceFor(p.t.session(), p.t.core.events);
    expect(() => service.markWholeVideos([a, unknown], 'normal')).toThrow(
      'The frames of broken.mp4 cannot be marked: its frame count is unknown (the probe found none).',
    );
    // Nothing of a refused request was written.
    expect(await marksOf()).toEqual(['b:anomaly:10-20']);
  });

  it('lists marks by video and kind, and a deleted video takes its marks along', async () => {
    await p.call('anomaly:marks:add', { videoId: a, startFrame: 0, endFrame: 5, kind: 'normal' });
    await p.call('anomaly:marks:add', { videoId: a, startFrame: 50, endFrame: 60, kind: 'anomaly' });
    await p.call('anomaly:marks:add', { videoId: b, startFrame: 1, endFrame: 2, kind: 'anomaly' });
    expect((await p.call('anomaly:marks:list', { kind: 'anomaly' })).map((m) => m.startFrame)).toEqual([50, 1]);
    expect((await p.call('anomaly:marks:list', { videoId: a, kind: 'normal' })).map((m) => m.endFrame)).toEqual([5]);
    p.t.session().project.db.prepare('DELETE FROM videos WHERE id = ?').run(a);
    expect(await marksOf()).toEqual(['b:anomaly:1-2']);
  });

  it('marks a real imported video whole by the frame count its probe found', async () => {
    const file = await makeVideo(path.join(p.t.media, 'real.mp4'), { fps: '25', seconds: 1.2 });
    await importAndWait(p.t.core, [file]);
    const video = (await p.t.core.call('videos:list', {})).find((v) => v.path === file);
    expect(video?.frameCount).toBe(30);
    const [mark] = markServiceFor(p.t.session(), p.t.core.events).markWholeVideos([video!.id], 'normal');
    expect(mark).toMatchObject({ startFrame: 0, endFrame: 30, kind: 'normal' });
    const past = await rejection(p.call('anomaly:marks:add', { videoId: video!.id, startFrame: 29, endFrame: 31, kind: 'anomaly' }));
    expect(past.message).toBe('The mark runs to frame 30, past the end of real.mp4, which has 30 frames (0–29).');
  });
});
