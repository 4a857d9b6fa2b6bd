import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection } from '../../../../../tests/fixtures/api-rejection.js';
import { importAndWait, openTestProject, videoAt, type TestProject } from '../../../../../tests/fixtures/core-harness.js';
import { makeFakeVideo, makeVideo } from '../../../../../tests/fixtures/make-videos.js';
import { decodeBase64Bytes, type ClipViewsDto } from '../../../../shared/clip-views.js';
import type { ClipDto } from '../../../../shared/dto.js';
import { temporalGradientView } from '../../views/temporal-gradient-view.js';
import { clipCacheDir } from '../run-files.js';

let t: TestProject;
let moving: ClipDto;
let still: ClipDto;
let brokenVideo: string;
let broken: ClipDto;

async function firstClipOf(file: string): Promise<ClipDto> {
  const video = await videoAt(t.core, file);
  const clip = (await t.core.call('clips:list', { videoId: video.id }))[0];
  if (!clip) throw new Error(`no clip for ${file}`);
  return clip;
}

function pixelsOf(dto: ClipViewsDto, kind: string): Uint8Array {
  const view = dto.views.find((v) => v.kind === kind);
  if (!view) throw new Error(`no ${kind} view`);
  return decodeBase64Bytes(view.pixels);
}

beforeAll(async () => {
  t = await openTestProject();
  const files = [
    await makeVideo(path.join(t.media, 'moving.mp4'), { seconds: 2, width: 160, height: 120 }),
    // mjpeg codes every frame on its own: identical input frames decode to identical pixels.
    await makeVideo(path.join(t.media, 'still.mkv'), { seconds: 2, pattern: 'smptebars', codec: 'mjpeg' }),
    (brokenVideo = await makeVideo(path.join(t.media, 'broken.mp4'), { seconds: 2, title: 'broken' })),
  ];
  await importAndWait(t.core, files);
  moving = await firstClipOf(files[0]!);
  still = await firstClipOf(files[1]!);
  broken = await firstClipOf(brokenVideo);
});

afterAll(() => t.dispose());

describe('clips:views', () => {
  it('decodes a clip at the CPU spec into RGB, temporal gradient and flow, cached with the run clips', async () => {
    const dto = await t.core.call('clips:views', { id: moving.id });
    expect(dto).toMatchObject({ clipId: moving.id, videoId: moving.videoId, frames: 8, size: 64 });
    expect(dto.durationSec).toBeCloseTo(moving.endSec - moving.startSec, 6);
    expect(dto.views.map((v) => [v.kind, v.label])).toEqual([
      ['rgb', 'RGB'],
      ['temporal-gradient', 'Temporal gradient'],
      ['flow', 'Optical flow'],
    ]);
    for (const view of dto.views) {
      expect(view).toMatchObject({ frames: 8, width: 64, height: 64 });
      expect(decodeBase64Bytes(view.pixels)).toHaveLength(8 * 64 * 64 * 3);
      expect(view.explanation.startsWith(`${view.label}:`)).toBe(true);
    }
    expect(dto.views[2]!.explanation).toContain('red is x');
    const rgb = pixelsOf(dto, 'rgb');
    expect(Buffer.compare(pixelsOf(dto, 'temporal-gradient'), temporalGradientView(rgb, { frames: 8, size: 64, fps: null }))).toBe(0);
    // testsrc2 moves: some pixels change and some flow has speed.
    expect(pixelsOf(dto, 'temporal-gradient').some((byte) => byte !== 127)).toBe(true);
    expect(pixelsOf(dto, 'flow').some((byte, i) => i % 3 === 2 && byte > 0)).toBe(true);

    const cached = fs.readdirSync(path.join(clipCacheDir(t.session().project), 't8-s64-even'), { recursive: true, encoding: 'utf8' });
    expect(cached.filter((name) => name.endsWith('.u8')).map((name) => path.basename(name)).sort()).toEqual([
      `${moving.startFrame}-${moving.endFrame}.flow-v1.u8`,
      `${moving.startFrame}-${moving.endFrame}.tgrad-v1.u8`,
      `${moving.startFrame}-${moving.endFrame}.u8`,
    ]);
    // A second look reads the cache and answers the same.
    expect(await t.core.call('clips:views', { id: moving.id })).toEqual(dto);
  });

  it('shows a still video as no change and no motion, at the frames and size asked for', async () => {
    const dto = await t.core.call('clips:views', { id: still.id, frames: 4, size: 32 });
    expect(dto).toMatchObject({ frames: 4, size: 32 });
    for (const view of dto.views) expect(view).toMatchObject({ frames: 4, width: 32, height: 32 });
    const gradient = pixelsOf(dto, 'temporal-gradient');
    expect(gradient).toHaveLength(4 * 32 * 32 * 3);
    expect(gradient.every((byte) => byte === 127)).toBe(true);
    const flow = pixelsOf(dto, 'flow');
    expect(flow.every((byte, i) => byte === [128, 128, 0][i % 3])).toBe(true);
    // The colour bars are there in the RGB view.
    expect(new Set(pixelsOf(dto, 'rgb')).size).toBeGreaterThan(4);
  });

  it('refuses bad params, unknown clips and clips whose video cannot be decoded, saying why', async () => {
    const invalid = async (params: object) => {
      const answer = await t.core.invoke('clips:views', params);
      if (!('error' in answer)) throw new Error('expected an error');
      expect(answer.error.code).toBe('INVALID_PARAMS');
      return answer.error.message;
    };
    expect(await invalid({ id: moving.id, frames: 1 })).toContain('frames: Views compare frames: ask for at least 2.');
    expect(await invalid({ id: moving.id, frames: 17 })).toContain('frames: At most 16 frames.');
    expect(await invalid({ id: moving.id, size: 113 })).toContain('size: The size is at most 112 pixels.');
    expect(await invalid({ id: moving.id, size: 8 })).toContain('size: The size is at least 16 pixels.');
    expect(await invalid({ id: moving.id, extra: true })).toContain('Unrecognized key');

    const unknown = await rejection(t.core.call('clips:views', { id: 99_999 }));
    expect([unknown.code, unknown.message]).toEqual(['NOT_FOUND', 'There is no clip 99999.']);

    makeFakeVideo(brokenVideo);
    const garbage = await rejection(t.core.call('clips:views', { id: broken.id, frames: 3 }));
    expect(garbage.code).toBe('MEDIA_ERROR');
    expect(garbage.message).toContain(`Clip ${broken.id} cannot be decoded: ${brokenVideo}:`);

    fs.rmSync(brokenVideo);
    const gone = await rejection(t.core.call('clips:views', { id: broken.id, frames: 3 }));
    expect(gone.code).toBe('MEDIA_ERROR');
    expect(gone.message).toContain(brokenVideo);

    t.session().videos.update(broken.videoId, { status: 'missing' });
    const missing = await rejection(t.core.call('clips:views', { id: broken.id }));
    expect(missing.code).toBe('CONFLICT');
    expect(missing.message).toBe(`Clip ${broken.id} cannot be shown: its video broken.mp4 is not ready, its file is missing (relink it in the Library).`);
  });
});
