/// <reference lib="dom" />
import { expect, type Locator, type Page } from '@playwright/test';

/** The player beside the Library list, with the open video's metadata. */
export class PlayerPane {
  constructor(private readonly page: Page) {}

  pane(): Locator {
    return this.page.getByRole('complementary', { name: 'Player' });
  }

  video(): Locator {
    return this.pane().locator('video');
  }

  message(): Locator {
    return this.pane().getByTestId('player-message');
  }

  fact(term: string): Locator {
    return this.pane().locator(`dd[data-fact="${term}"]`);
  }

  currentTime(): Promise<number> {
    return this.video().evaluate((v: HTMLVideoElement) => v.currentTime);
  }

  /** Sets currentTime and resolves with the time the element reports once `seeked` fired. */
  seek(seconds: number): Promise<number> {
    return this.video().evaluate(
      (v: HTMLVideoElement, target: number) =>
        new Promise<number>((resolve) => {
          v.addEventListener('seeked', () => resolve(v.currentTime), { once: true });
          v.currentTime = target;
        }),
      seconds,
    );
  }

  /** Polled through the locator, so a <video> the player re-renders is read afresh rather than waited on forever. */
  async waitForMetadata(): Promise<void> {
    await expect
      .poll(
        () =>
          this.video().evaluate((v: HTMLVideoElement) => {
            if (v.error) throw new Error(`video error ${v.error.code}: ${v.error.message}`);
            return v.readyState;
          }),
        { timeout: 60_000 },
      )
      .toBeGreaterThanOrEqual(1);
  }
}
