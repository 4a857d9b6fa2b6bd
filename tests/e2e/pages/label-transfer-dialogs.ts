import { expect, test, type Locator, type Page } from '@playwright/test';

/** The header's Import labels / Export labels / Settings dialogs. */
export class LabelTransferDialogs {
  constructor(private readonly page: Page) {}

  importDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Import labels' });
  }

  exportDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Export labels' });
  }

  settingsDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Project settings' });
  }

  async openImport(): Promise<void> {
    await this.page.getByRole('button', { name: 'Import labels…' }).click();
    await expect(this.importDialog()).toBeVisible();
  }

  async openExport(): Promise<void> {
    await this.page.getByRole('button', { name: 'Export labels…' }).click();
    await expect(this.exportDialog()).toBeVisible();
  }

  async openSettings(): Promise<void> {
    await this.page.getByRole('button', { name: 'Settings' }).click();
    await expect(this.settingsDialog()).toBeVisible();
  }

  /** Picks a file with the server-side browser (web mode) opened from the Label file field. */
  async chooseLabelFile(folder: string, name: string): Promise<void> {
    await test.step(`choose ${name} in ${folder}`, async () => {
      await this.importDialog().getByRole('button', { name: 'Browse for label file' }).click();
      const picker = this.page.getByRole('dialog', { name: 'Label file' });
      const pathBox = picker.getByRole('textbox', { name: 'Folder path' });
      await pathBox.fill(folder);
      await pathBox.press('Enter');
      await picker.getByRole('list', { name: 'Folder contents' }).getByRole('button', { name }).click();
      await picker.getByRole('button', { name: 'Choose this file' }).click();
      await expect(picker).toBeHidden();
    });
  }
}
