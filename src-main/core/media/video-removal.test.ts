import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importAndWait, openTestProject, type TestProject } from '../../../tests/fixtures/core-harness.js';
import { makeVideo } from '../../../tests/fixtures/make-videos.js';

let t: TestProject;

beforeEach(async () => {
  t = await openTestProject();
});

afterEach(async () => {
  await t.dispose();
});

/** The poster file of video `id`, as the project's cache holds it. */
function posterFile(id: number): string {
  const rel = t.session().videos.get(id)?.poster_path;
  if (!rel) throw new Error(`video ${id} has no poster`);
  return t.session().project.cachePath(rel);
}

describe('removing videos', () => {
  it('keeps the poster that undo needs, across a reopen (the cache sweep), and undo brings the video back ready', async () => {
    const file = await makeVideo(path.join(t.media, 'ants.mp4'), { seconds: 1 });
    await importAndWait(t.core, [file]);
    const [video] = await t.core.call('videos:list', {});
    const poster = posterFile(video!.id);
    expect(fs.existsSync(poster)).toBe(true);

    expect(await t.core.call('videos:remove', { ids: [video!.id, 999] })).toEqual({ removed: 1 });
    expect(fs.existsSync(file)).toBe(true);
    await t.core.call('project:close', {});
    await t.core.call('project:open', { path: t.projectDir });
    expect(fs.existsSync(poster)).toBe(true);

    await t.core.call('history:undo', {});
    expect(await t.core.call('videos:get', { id: video!.id })).toMatchObject({ path: file, status: 'ready', posterReady: true });
  });

  it('removing nothing that exists records no history entry', async () => {
    expect(await t.core.call('videos:remove', { ids: [41, 42] })).toEqual({ removed: 0 });
    expect(await t.core.call('history:list', {})).toEqual([]);
  });

  it('a removed video imported again cannot be brought back a second time: undo says why and goes on past it', async () => {
    const file = await makeVideo(path.join(t.media, 'ants.mp4'), { seconds: 1 });
    await importAndWait(t.core, [file]);
    const walk = await t.core.call('classes:create', { name: 'walk' });
    const [video] = await t.core.call('videos:list', {});
    await t.core.call('videos:remove', { ids: [video!.id] });
    await importAndWait(t.core, [file]);
    const [again] = await t.core.call('videos:list', {});
    expect(again).toMatchObject({ path: file, status: 'ready' });

    await expect(t.core.call('history:undo', {})).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('Remove video ants.mp4” cannot be undone or redone'),
    });
    expect(await t.core.call('videos:list', {})).toEqual([again]);
    await expect(t.core.call('history:undo', {})).resolves.toMatchObject({ entry: { action: 'class:create' } });
    expect(await t.core.call('classes:list', {})).toEqual([]);
    expect(walk.name).toBe('walk');
  });
});
