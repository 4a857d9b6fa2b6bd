import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importAndWait, openTestProject, type TestProject } from '../../../tests/fixtures/core-harness.js';
import { resolveMediaTools, toolEnv } from '../media/media-tools.js';

let t: TestProject;
beforeEach(async () => {
  t = await openTestProject();
});
afterEach(async () => t.dispose());

/** 25 frames at 25 fps, then 25 frames at 12.5 fps: 50 frames over 3 s. */
function makeVariableRateVideo(file: string): string {
  const { ffmpeg } = resolveMediaTools();
  execFileSync(
    ffmpeg,
    [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25', '-frames:v', '50',
      '-vf', "setpts='if(lt(N,25),N,25+(N-25)*2)/25/TB'",
      '-vsync', 'vfr', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file,
    ],
    { env: toolEnv(ffmpeg) },
  );
  return file;
}

describe('variable frame rate', () => {
  it('cuts clips on the frames the video really shows, not on i / fps', async () => {
    const file = makeVariableRateVideo(path.join(t.media, 'vfr.mp4'));
    await importAndWait(t.core, [file]);
    const [video] = await t.core.call('videos:list', {});
    expect(video).toMatchObject({ frameCount: 50, variableFrameRate: true });
    const clips = await t.core.call('clips:list', { videoId: video!.id });
    // Frame 25 starts at 1.0 s, then one frame every 0.08 s: 2.0 s lies between frames 37 (1.96 s)
    // and 38 (2.04 s). At i / fps (fps = 50 / 3 s) the cut would fall on frame 33.
    expect(clips.map((c) => [c.startFrame, c.endFrame])).toEqual([
      [0, 37],
      [37, 50],
    ]);
    expect(clips[0]!.endSec).toBeCloseTo(1.96, 6);
    expect(clips[1]!.endSec).toBeCloseTo(3.0, 6);
    const timing = await t.core.call('clips:timing', { videoId: video!.id });
    expect(timing.frameTimes).toHaveLength(50);
    expect(timing.frameTimes![26]).toBeCloseTo(1.08, 6);
  });
});
