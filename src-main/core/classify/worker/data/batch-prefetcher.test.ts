import { describe, expect, it } from 'vitest';
import { BatchPrefetcher } from './batch-prefetcher.js';

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('BatchPrefetcher', () => {
  it('hands out batches in order and makes the next one while the current one is used', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const prefetcher = new BatchPrefetcher(async (i) => {
      started.push(i);
      await delay(30);
      finished.push(i);
      return i * 10;
    });
    expect(await prefetcher.next()).toBe(0);
    expect(started).toEqual([0, 1]);
    await delay(40); // the "training step": batch 1 is made meanwhile
    expect(finished).toEqual([0, 1]);
    expect(await prefetcher.next()).toBe(10);
    expect(await prefetcher.next()).toBe(20);
    expect(started).toEqual([0, 1, 2, 3]);
    await prefetcher.close();
  });

  it('reports a failed batch to the next() that wanted it, and keeps going after it', async () => {
    const prefetcher = new BatchPrefetcher((i) => {
      if (i === 1) throw new Error('clip 7 is unreadable');
      return Promise.resolve(i);
    });
    expect(await prefetcher.next()).toBe(0);
    await expect(prefetcher.next()).rejects.toThrow('clip 7 is unreadable');
    expect(await prefetcher.next()).toBe(2);
    await prefetcher.close();
  });

  it('releases batches made ahead but never handed out, and refuses next() after close', async () => {
    const released: number[] = [];
    const prefetcher = new BatchPrefetcher((i) => Promise.resolve(i), { ahead: 2, release: (item) => released.push(item) });
    expect(await prefetcher.next()).toBe(0);
    await prefetcher.close();
    expect(released).toEqual([1, 2]);
    await expect(prefetcher.next()).rejects.toThrow('next() after close()');
  });
});
