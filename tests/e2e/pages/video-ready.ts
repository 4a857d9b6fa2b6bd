/// <reference lib="dom" />
import { expect, type Locator } from '@playwright/test';

/**
 * Waits until the <video> the locator finds reaches `readyState` (1: metadata, 2: a frame to show).
 * Polled through the locator, so a player that re-renders its <video> is read afresh: a listener on the
 * element first found would wait forever for an element no longer in the page. A media error fails the wait.
 */
export async function waitForVideoReadyState(video: Locator, readyState: number): Promise<void> {
  await expect
    .poll(
      () =>
        video.evaluate((v: HTMLVideoElement) => {
          if (v.error) throw new Error(`video error ${v.error.code}: ${v.error.message}`);
          return v.readyState;
        }),
      { timeout: 60_000 },
    )
    .toBeGreaterThanOrEqual(readyState);
}
