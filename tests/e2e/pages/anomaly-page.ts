import { expect, test, type Locator, type Page } from '@playwright/test';

/** The Anomaly view: runs, training and videos on the left; video, score curve and events in the middle; breakdown, AUC and marks on the right. */
export class AnomalyPage {
  constructor(private readonly page: Page) {}

  view(): Locator {
    return this.page.getByTestId('anomaly-view');
  }

  heading(): Locator {
    return this.view().getByRole('heading', { name: 'Anomaly detection', level: 1 });
  }

  normalFootage(): Locator {
    return this.page.getByTestId('anomaly-normal-footage');
  }

  startBlocker(): Locator {
    return this.page.getByTestId('anomaly-start-blocker');
  }

  noRun(): Locator {
    return this.page.getByTestId('anomaly-no-run');
  }

  notScored(): Locator {
    return this.page.getByTestId('anomaly-not-scored');
  }

  videoRow(fileName: string): Locator {
    return this.page.getByTestId('anomaly-video-row').filter({ hasText: fileName });
  }

  async openVideo(fileName: string): Promise<void> {
    await test.step(`open ${fileName}`, async () => {
      await this.videoRow(fileName).getByRole('button', { name: fileName, exact: true }).click();
      await expect(this.page.getByTestId('anomaly-title')).toContainText(fileName);
    });
  }

  setting(label: string): Locator {
    return this.page.getByRole('region', { name: 'Train on normal footage' }).getByRole('textbox', { name: label, exact: true });
  }

  /** Types the settings (label → value; Advanced is opened when one lives there) and starts a run. */
  async train(settings: Record<string, string>): Promise<void> {
    await test.step('start anomaly training', async () => {
      const panel = this.page.getByRole('region', { name: 'Train on normal footage' });
      await panel.getByText('Advanced', { exact: true }).click();
      for (const [label, value] of Object.entries(settings)) await this.setting(label).fill(value);
      const start = panel.getByRole('button', { name: 'Start anomaly training' });
      await expect(start).toBeEnabled();
      await start.click();
    });
  }

  runRow(runId?: number): Locator {
    const rows = this.page.getByTestId('anomaly-run-row');
    return runId === undefined ? rows.first() : this.page.locator(`[data-testid="anomaly-run-row"][data-run-id="${runId}"]`);
  }

  lossChart(): Locator {
    return this.page.getByTestId('anomaly-loss-chart');
  }

  video(): Locator {
    return this.page.getByTestId('anomaly-video');
  }

  curve(): Locator {
    return this.page.getByTestId('anomaly-curve');
  }

  playhead(): Locator {
    return this.page.getByTestId('anomaly-playhead');
  }

  async curveFrame(): Promise<number> {
    return Number(await this.curve().getAttribute('data-frame'));
  }

  async curvePaints(): Promise<number> {
    return Number(await this.curve().getAttribute('data-paints'));
  }

  /** Clicks the curve at a share (0..1) of its width: seeks there. */
  async clickCurveAt(share: number): Promise<void> {
    const box = await this.curve().boundingBox();
    if (!box) throw new Error('the score curve is not on screen');
    await this.page.mouse.click(box.x + box.width * share, box.y + box.height / 2);
  }

  /** The frame the <video> element shows now, from its currentTime (what the person sees). */
  async videoFrame(fps: number): Promise<number> {
    return this.video().evaluate((element, rate) => Math.floor((element as HTMLVideoElement).currentTime * rate + 1e-6), fps);
  }

  events(): Locator {
    return this.page.getByTestId('anomaly-event');
  }

  marks(): Locator {
    return this.page.getByTestId('anomaly-mark');
  }

  breakdown(): Locator {
    return this.page.getByTestId('anomaly-breakdown');
  }

  auc(): Locator {
    return this.page.getByTestId('anomaly-auc');
  }

  notice(): Locator {
    return this.page.getByTestId('anomaly-notice');
  }
}
