import { describe, expect, it } from 'vitest';
import { readAhead } from './read-ahead.js';

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Collects what the process reports as unhandled rejections while `run` runs (and a moment after). */
async function unhandledDuring(run: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => void seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await run();
    await delay(20);
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

describe('readAhead', () => {
  it('yields the loads in order and loads the next one while the current one is used', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const got: number[] = [];
    for await (const item of readAhead(3, async (i) => {
      started.push(i);
      await delay(30);
      finished.push(i);
      return i * 10;
    })) {
      got.push(item);
      if (item === 0) {
        expect(started).toEqual([0, 1]);
        await delay(40); // the "training step": load 1 finishes meanwhile
        expect(finished).toEqual([0, 1]);
      }
    }
    expect(got).toEqual([0, 10, 20]);
    expect(started).toEqual([0, 1, 2]);
  });

  it('throws a failed load at its turn, after the ones before it, and leaves no rejection unhandled', async () => {
    const got: number[] = [];
    const unhandled = await unhandledDuring(async () => {
      const loads = readAhead(4, (i) => (i === 1 ? Promise.reject(new Error('clip 7 is unreadable')) : Promise.resolve(i)));
      await expect(
        (async () => {
          for await (const item of loads) got.push(item);
        })(),
      ).rejects.toThrow('clip 7 is unreadable');
    });
    expect(got).toEqual([0]);
    expect(unhandled).toEqual([]);
  });

  it('stopped early (a cancel), the load already under way is dropped without an unhandled rejection', async () => {
    const started: number[] = [];
    const unhandled = await unhandledDuring(async () => {
      for await (const item of readAhead(5, (i) => {
        started.push(i);
        return i === 1 ? delay(5).then(() => Promise.reject(new Error('cancelled'))) : Promise.resolve(i);
      })) {
        if (item === 0) break;
      }
    });
    expect(started).toEqual([0, 1]);
    expect(unhandled).toEqual([]);
  });
});
