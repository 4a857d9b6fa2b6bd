import { describe, expect, it } from 'vitest';
import { slidingWindows, type FrameWindow } from './sliding-windows.js';

interface Frame {
  index: number;
}

/** Frames 0..count−1, counting how many the consumer has pulled. */
function source(count: number, pulled: { count: number }, order?: number[]): AsyncIterable<Frame> {
  return {
    async *[Symbol.asyncIterator]() {
      for (const index of order ?? Array.from({ length: count }, (_, i) => i)) {
        pulled.count++;
        await Promise.resolve();
        yield { index };
      }
    },
  };
}

async function windowsOf(count: number, options: { length?: number; stride?: number }) {
  const pulled = { count: 0 };
  const out: { start: number; centre: number; indices: number[]; pulledThen: number }[] = [];
  for await (const w of slidingWindows(source(count, pulled), options)) {
    out.push({ start: w.start, centre: w.centre, indices: w.frames.map((f) => f.index), pulledThen: pulled.count });
  }
  return out;
}

const range = (from: number, length: number) => Array.from({ length }, (_, k) => from + k);

describe('slidingWindows', () => {
  it('stride 1, length 7 (defaults): every start that fits, each window pulled just in time', async () => {
    const windows = await windowsOf(20, {});
    expect(windows.map((w) => w.start)).toEqual(range(0, 14));
    for (const w of windows) {
      expect(w.indices).toEqual(range(w.start, 7));
      expect(w.centre).toBe(w.start + 3);
      // nothing read ahead: the window was handed out as soon as its last frame arrived
      expect(w.pulledThen).toBe(w.start + 7);
    }
  });

  it('stride 3: starts 0, 3, …, 12 in 20 frames (15 + 7 > 20)', async () => {
    const windows = await windowsOf(20, { stride: 3 });
    expect(windows.map((w) => w.start)).toEqual([0, 3, 6, 9, 12]);
    for (const w of windows) expect(w.indices).toEqual(range(w.start, 7));
  });

  it('a stride longer than the window skips the frames between windows', async () => {
    const windows = await windowsOf(25, { length: 4, stride: 10 });
    expect(windows.map((w) => w.indices)).toEqual([range(0, 4), range(10, 4), range(20, 4)]);
    expect(windows.map((w) => w.centre)).toEqual([2, 12, 22]);
  });

  it('fewer frames than one window give no window', async () => {
    expect(await windowsOf(6, {})).toEqual([]);
  });

  it('a handed-out window keeps its frames while the next one fills', async () => {
    const kept: FrameWindow<Frame>[] = [];
    for await (const w of slidingWindows(source(9, { count: 0 }), { length: 3, stride: 2 })) kept.push(w);
    expect(kept.map((w) => w.frames.map((f) => f.index))).toEqual([[0, 1, 2], [2, 3, 4], [4, 5, 6], [6, 7, 8]]);
  });

  it('rejects bad options and frames out of order', async () => {
    const none = { count: 0 };
    await expect(windowsOf(10, { length: 0 })).rejects.toThrow(/length must be a whole number ≥ 1, got 0/);
    await expect(windowsOf(10, { stride: 1.5 })).rejects.toThrow(/stride must be a whole number ≥ 1, got 1.5/);
    const gap = slidingWindows(source(0, none, [0, 1, 3]), { length: 2 });
    await expect((async () => { for await (const w of gap) void w; })()).rejects.toThrow(/expected frame 2, got frame 3/);
  });
});
