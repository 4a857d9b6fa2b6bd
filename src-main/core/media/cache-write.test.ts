import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVideo } from '../../../tests/fixtures/make-videos.js';
import { ApiError } from '../../shared/errors.js';
import { MediaFailure } from './media-failure.js';
import { resolveMediaTools } from './media-tools.js';
import { makePoster } from './poster.js';
import { probeVideo } from './probe.js';

const tools = resolveMediaTools();
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-cache-write-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// Tests run as root, which chmod does not stop: the unwritable cache folder here is a regular file
// where the folder should be (a real ENOTDIR from the file system). It proves that a write the cache
// refuses is reported as the cache's fault; it does not exercise EACCES/EROFS themselves.
describe('a cache folder that cannot be written', () => {
  it('fails the poster as a cache error naming the folder, never as a damaged video', async () => {
    const video = await makeVideo(path.join(tmp, 'good.mp4'), { seconds: 1 });
    const { probe } = await probeVideo(tools, video, fs.statSync(video).size);
    const posters = path.join(tmp, 'posters');
    fs.writeFileSync(posters, 'a file where the folder should be');

    const failure = await makePoster(tools, video, probe, path.join(posters, 'x.jpg')).then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).not.toBeInstanceOf(MediaFailure);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).message).toContain(`cache folder ${posters} cannot be written`);
    expect((failure as ApiError).message).not.toMatch(/corrupt|truncated/);
  });
});
