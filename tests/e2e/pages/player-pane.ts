/// <reference lib="dom" />
import { type Locator, type Page } from '@playwright/test';
import { waitForVideoReadyState } from './video-ready.js';

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

  async waitForMetadata(): Promise<void> {
    await waitForVideoReadyState(this.video(), 1);
  }
}
