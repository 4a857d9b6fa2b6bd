/// <reference lib="dom" />
import { expect, test, type Locator, type Page } from '@playwright/test';
import { waitForVideoReadyState } from './video-ready.js';

export interface SavedLabel {
  clipId: number;
  /** null: the label was removed. */
  classId: number | null;
}

export interface TimelineGeometry {
  left: number;
  top: number;
  width: number;
  viewStart: number;
  viewEnd: number;
  autoLaneTop: number;
  userLaneTop: number;
  laneHeight: number;
}

/** The Label view: video list, player, readout, timeline, classes panel and recent changes. */
export class LabelPage {
  constructor(private readonly page: Page) {}

  view(): Locator {
    return this.page.getByTestId('label-view');
  }

  video(): Locator {
    return this.page.getByTestId('label-video');
  }

  currentClip(): Locator {
    return this.page.getByTestId('current-clip');
  }

  frameIndex(): Locator {
    return this.page.getByTestId('frame-index');
  }

  frameTime(): Locator {
    return this.page.getByTestId('frame-time');
  }

  speed(): Locator {
    return this.page.getByTestId('playback-speed');
  }

  selectedClip(): Locator {
    return this.page.getByTestId('selected-clip');
  }

  timeline(): Locator {
    return this.page.getByTestId('timeline-canvas');
  }

  classRow(name: string): Locator {
    return this.page.getByTestId('class-row').filter({ has: this.page.getByTestId('class-name').getByText(name, { exact: true }) });
  }

  overallProgress(): Locator {
    return this.page.getByTestId('overall-progress');
  }

  activity(state?: 'saving' | 'saved' | 'failed'): Locator {
    const entries = this.page.getByTestId('activity-entry');
    return state ? entries.and(this.page.locator(`[data-state="${state}"]`)) : entries;
  }

  playButton(): Locator {
    return this.page.getByRole('toolbar', { name: 'Player controls' }).getByRole('button', { name: /^(Play|Pause)$/ });
  }

  async waitForVideo(): Promise<void> {
    await test.step('wait until the player has the video', async () => {
      await expect(this.video()).toBeVisible();
      await waitForVideoReadyState(this.video(), 2);
    });
  }

  async addClass(name: string, hotkey?: string): Promise<void> {
    await test.step(`add class ${name}${hotkey ? ` on key ${hotkey}` : ''}`, async () => {
      await this.page.getByRole('textbox', { name: 'New class name' }).fill(name);
      if (hotkey) await this.page.getByRole('combobox', { name: 'Hotkey of the new class' }).selectOption(hotkey);
      await this.page.getByRole('button', { name: 'Add class' }).click();
      await expect(this.classRow(name)).toBeVisible();
    });
  }

  async hotkeyOf(name: string): Promise<string> {
    return (await this.classRow(name).getByTestId('class-hotkey').textContent())?.trim() ?? '';
  }

  async classIdOf(name: string): Promise<number> {
    return Number(await this.classRow(name).getAttribute('data-class-id'));
  }

  /** Esc: leaves the text field that has the focus, so the labelling keys act again. */
  async leaveFields(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await expect(this.page.locator('input:focus, select:focus, textarea:focus')).toHaveCount(0);
  }

  async currentClipId(): Promise<number> {
    return Number(await this.currentClip().getAttribute('data-clip-id'));
  }

  async isPlaying(): Promise<boolean> {
    return this.video().evaluate((v: HTMLVideoElement) => !v.paused);
  }

  /** Every label change the Recent changes list shows as saved, oldest first. */
  async savedLabels(): Promise<SavedLabel[]> {
    const rows = await this.page
      .getByTestId('activity-entry')
      .evaluateAll((entries) =>
        entries
          .filter((e) => e.getAttribute('data-kind') === 'label' && e.getAttribute('data-state') === 'saved')
          .map((e) => ({ clipId: e.getAttribute('data-clip-id') ?? '', classId: e.getAttribute('data-class-id') ?? '' })),
      );
    return rows.reverse().map((r) => ({ clipId: Number(r.clipId), classId: r.classId === '' ? null : Number(r.classId) }));
  }

  async timelineGeometry(): Promise<TimelineGeometry> {
    const canvas = this.timeline();
    const box = await canvas.boundingBox();
    if (!box) throw new Error('the timeline is not on screen');
    const data = await canvas.evaluate((el: HTMLElement) => ({ ...el.dataset }));
    return {
      left: box.x,
      top: box.y,
      width: box.width,
      viewStart: Number(data.viewStart),
      viewEnd: Number(data.viewEnd),
      autoLaneTop: Number(data.autoLaneTop),
      userLaneTop: Number(data.userLaneTop),
      laneHeight: Number(data.laneHeight),
    };
  }

  /** Page x of a frame boundary on the timeline. */
  xOf(g: TimelineGeometry, frame: number): number {
    return g.left + ((frame - g.viewStart) / (g.viewEnd - g.viewStart)) * g.width;
  }

  userLaneY(g: TimelineGeometry): number {
    return g.top + g.userLaneTop + g.laneHeight / 2;
  }

  /** Drags on the segment lane from one frame boundary to another, in small moves as a hand does. */
  async dragOnSegmentLane(fromFrame: number, toFrame: number): Promise<void> {
    await test.step(`drag on the segment lane from frame ${fromFrame} to ${toFrame}`, async () => {
      const g = await this.timelineGeometry();
      const y = this.userLaneY(g);
      await this.page.mouse.move(this.xOf(g, fromFrame), y);
      await this.page.mouse.down();
      await this.page.mouse.move(this.xOf(g, toFrame), y, { steps: 8 });
      await this.page.mouse.up();
    });
  }

  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  /** Keys one after another in the same task, so the app cannot have heard back from the first one's change. */
  async pressAtOnce(keys: readonly string[]): Promise<void> {
    await this.page.evaluate((list) => {
      for (const key of list) window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    }, keys);
  }
}
