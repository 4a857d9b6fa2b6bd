import { expect, test, type Locator, type Page } from '@playwright/test';

/** The clip the Review view shows, as its prediction panel says. */
export interface ShownClip {
  clipId: number;
  predictedClassId: number;
}

/** The Review view: settings on the left, the looping clip, the prediction panel, the bulk dialog. */
export class ReviewPage {
  constructor(private readonly page: Page) {}

  view(): Locator {
    return this.page.getByTestId('review-view');
  }

  prediction(): Locator {
    return this.page.getByTestId('review-prediction');
  }

  position(): Locator {
    return this.page.getByTestId('review-position');
  }

  decision(): Locator {
    return this.page.getByTestId('review-decision');
  }

  video(): Locator {
    return this.page.getByTestId('review-video');
  }

  notice(): Locator {
    return this.page.getByTestId('review-notice');
  }

  empty(): Locator {
    return this.page.getByTestId('review-empty');
  }

  strategy(name: string): Locator {
    return this.view().getByRole('radio', { name: new RegExp(`^${name}\\b`) });
  }

  runPicker(): Locator {
    return this.view().getByRole('combobox', { name: 'Run to review' });
  }

  async waitForClip(): Promise<ShownClip> {
    await expect(this.prediction()).toBeVisible();
    return this.shown();
  }

  async shown(): Promise<ShownClip> {
    const panel = this.prediction();
    return {
      clipId: Number(await panel.getAttribute('data-clip-id')),
      predictedClassId: Number(await panel.getAttribute('data-predicted-class-id')),
    };
  }

  /** Presses a key and waits until another clip is on screen; returns it. */
  async pressAndMoveOn(key: string, from: ShownClip, what: string): Promise<ShownClip> {
    return test.step(`${what} (${key}) on clip ${from.clipId}`, async () => {
      await this.page.keyboard.press(key);
      await expect(this.prediction()).not.toHaveAttribute('data-clip-id', String(from.clipId));
      return this.shown();
    });
  }

  /** Presses a key and waits until the given clip is on screen. */
  async pressAndShow(key: string, clipId: number, what: string): Promise<ShownClip> {
    return test.step(`${what} (${key}): shows clip ${clipId}`, async () => {
      await this.page.keyboard.press(key);
      await expect(this.prediction()).toHaveAttribute('data-clip-id', String(clipId));
      return this.shown();
    });
  }

  importDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Import predictions' });
  }

  /** Imports a prediction file picked with the server-side file browser (web mode), as a person would. */
  async importPredictions(folder: string, name: string): Promise<void> {
    await test.step(`import predictions ${name} from ${folder}`, async () => {
      await this.view().getByRole('button', { name: 'Import predictions…' }).first().click();
      const dialog = this.importDialog();
      await expect(dialog).toBeVisible();
      await dialog.getByRole('button', { name: 'Browse for prediction file' }).click();
      const picker = this.page.getByRole('dialog', { name: 'Prediction file' });
      const pathBox = picker.getByRole('textbox', { name: 'Folder path' });
      await pathBox.fill(folder);
      await pathBox.press('Enter');
      await picker.getByRole('list', { name: 'Folder contents' }).getByRole('button', { name }).click();
      await picker.getByRole('button', { name: 'Choose this file' }).click();
      await expect(picker).toBeHidden();
      await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    });
  }

  bulkDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Accept in bulk' });
  }

  /** Opens the bulk dialog, sets the confidence and returns the count its preview gives. */
  async previewBulk(minConfidence: string): Promise<number> {
    return test.step(`preview a bulk accept at ${minConfidence}`, async () => {
      await this.view().getByRole('button', { name: 'Accept in bulk…' }).click();
      const dialog = this.bulkDialog();
      await expect(dialog).toBeVisible();
      await dialog.getByRole('textbox', { name: 'Lowest confidence' }).fill(minConfidence);
      const preview = dialog.getByTestId('bulk-preview');
      await expect(preview).toContainText(`at or above ${(Number(minConfidence) * 100).toFixed(1)} %`);
      return Number(await preview.getAttribute('data-count'));
    });
  }

  async confirmBulk(count: number): Promise<void> {
    await test.step(`accept ${count} clips in bulk`, async () => {
      const dialog = this.bulkDialog();
      await dialog.getByRole('button', { name: `Accept ${count} ${count === 1 ? 'clip' : 'clips'}` }).click();
      await expect(dialog.getByTestId('bulk-report')).toContainText(`Accepted ${count} ${count === 1 ? 'clip' : 'clips'}`);
      await dialog.getByRole('button', { name: 'Done' }).click();
      await expect(dialog).toBeHidden();
    });
  }
}
