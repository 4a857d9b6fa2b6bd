import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCounterVideo, nearestFrame, referenceGreys } from '../../../tests/fixtures/counter-video.js';
import { decodeFramesToFile, frameSelectExpression } from './clip-decode.js';
import { resolveMediaTools } from './media-tools.js';

const tools = resolveMediaTools();
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-clip-decode-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('decoding chosen frames', () => {
  it('keeps a sum of more than 100 frame runs in groups that every ffmpeg parses', () => {
    expect(frameSelectExpression([1, 2, 3, 7])).toBe('between(n,1,3)+eq(n,7)');
    const sparse = Array.from({ length: 120 }, (_, i) => 2 * i);
    const expression = frameSelectExpression(sparse);
    expect(expression.startsWith('(eq(n,0)+eq(n,2)+')).toBe(true);
    expect(expression.split('+').length).toBe(120);
    expect(expression.match(/\(eq/g)).toHaveLength(3);
  });

  // A dozen 8-frame clips of one video already need more than 100 separate frames in one pass; ffmpeg 5.1
  // refused such an expression and every clip of the video was reported as undecodable.
  it('decodes 109 separate frames of one video in one pass, each the right picture', async () => {
    const video = await makeCounterVideo(path.join(dir, 'counter.mp4'), { frames: 220, step: 1 });
    const greys = await referenceGreys(video);
    // from frame 2: the first two greys (16, 17) are both black once converted to rgb
    const frames = Array.from({ length: 109 }, (_, i) => 2 * i + 2);
    const outFile = path.join(dir, 'frames.rgb');
    const result = await decodeFramesToFile(tools.ffmpeg, { file: video, frames, size: 8, outFile, scriptFile: path.join(dir, 'graph.txt') });
    expect(result).toEqual({ framesWritten: 109, damage: null, failure: null });
    const raw = fs.readFileSync(outFile);
    const shown = frames.map((_, k) => nearestFrame(raw.subarray(k * 192, (k + 1) * 192), greys));
    expect(shown).toEqual(frames);
  });
});
