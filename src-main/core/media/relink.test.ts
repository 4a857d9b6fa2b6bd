import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importAndWait, openTestProject, waitFor, type TestProject } from '../../../tests/fixtures/core-harness.js';
import { makeVideo } from '../../../tests/fixtures/make-videos.js';

let t: TestProject;

beforeEach(async () => {
  t = await openTestProject();
});

afterEach(async () => {
  await t.dispose();
});

async function reopen(): Promise<void> {
  await t.core.call('project:close', {});
  await t.core.call('project:open', { path: t.projectDir });
}

describe('moved files', () => {
  it('relinks a moved file when it is imported from its new place', async () => {
    const before = await makeVideo(path.join(t.media, 'old', 'ants.mp4'), { seconds: 1 });
    await importAndWait(t.core, [before]);
    const [original] = await t.core.call('videos:list', {});
    const after = path.join(t.media, 'new', 'ants renamed.mp4');
    fs.mkdirSync(path.dirname(after));
    fs.renameSync(before, after);

    const { summary } = await importAndWait(t.core, [path.join(t.media, 'new')]);
    expect(summary).toMatchObject({ scanned: 1, imported: 0, duplicates: 0, relinked: 1, failed: [] });
    const videos = await t.core.call('videos:list', {});
    expect(videos).toHaveLength(1);
    expect(videos[0]).toMatchObject({ id: original!.id, path: after, name: 'ants renamed.mp4', status: 'ready' });
    expect(videos[0]!.posterReady).toBe(true);
  });

  it('marks vanished files missing on open, finds them again, and relinks them on request', async () => {
    const ants = await makeVideo(path.join(t.media, 'ants.mp4'), { seconds: 1 });
    const moths = await makeVideo(path.join(t.media, 'moths.mp4'), { seconds: 1, pattern: 'mandelbrot' });
    await importAndWait(t.core, [t.media]);
    const antsId = (await t.core.call('videos:list', {})).find((v) => v.name === 'ants.mp4')!.id;
    const mothsId = (await t.core.call('videos:list', {})).find((v) => v.name === 'moths.mp4')!.id;

    const moved = path.join(t.tmp, 'elsewhere', 'ants.mp4');
    fs.mkdirSync(path.dirname(moved));
    fs.renameSync(ants, moved);
    await reopen();
    await waitFor('ants to be missing', async () => (await t.core.call('videos:get', { id: antsId })).status === 'missing');
    expect((await t.core.call('videos:get', { id: mothsId })).status).toBe('ready');

    fs.renameSync(moved, ants);
    await reopen();
    await waitFor('ants to be found', async () => (await t.core.call('videos:get', { id: antsId })).status === 'ready');

    fs.renameSync(ants, moved);
    const relinked = await t.core.call('videos:relink', { id: antsId, path: moved });
    expect(relinked).toMatchObject({ id: antsId, path: moved, name: 'ants.mp4', status: 'ready' });

    await expect(t.core.call('videos:relink', { id: antsId, path: moths })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('is not the same video as "ants.mp4"'),
    });
    const copyOfMoths = path.join(t.tmp, 'elsewhere', 'moths.mp4');
    fs.copyFileSync(moths, copyOfMoths);
    await expect(t.core.call('videos:relink', { id: mothsId, path: path.join(t.tmp, 'nope.mp4') })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('file not found'),
    });
    await expect(t.core.call('videos:relink', { id: 999, path: moths })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Relinking onto the path of the same video is a no-op that succeeds.
    expect((await t.core.call('videos:relink', { id: mothsId, path: moths })).path).toBe(moths);
    expect((await t.core.call('videos:relink', { id: mothsId, path: copyOfMoths })).path).toBe(copyOfMoths);
  });
});
