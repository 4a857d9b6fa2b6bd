import { expect, test, type Locator, type Page } from '@playwright/test';

/** The Import dialog with its server-side folder browser (web mode). */
export class ImportDialog {
  constructor(private readonly page: Page) {}

  dialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Import videos' });
  }

  async browseTo(folder: string): Promise<void> {
    await test.step(`browse to ${folder}`, async () => {
      const pathBox = this.dialog().getByRole('textbox', { name: 'Folder path' });
      await pathBox.fill(folder);
      await pathBox.press('Enter');
      await expect(pathBox).toHaveValue(folder);
      await expect(this.dialog().getByRole('list', { name: 'Folder contents' })).toBeVisible();
    });
  }

  async enterFolder(name: string): Promise<void> {
    await test.step(`open folder ${name}`, async () => {
      await this.dialog().getByRole('list', { name: 'Folder contents' }).getByRole('button', { name }).click();
    });
  }

  async goUp(): Promise<void> {
    await test.step('go up one folder', async () => {
      await this.dialog().getByRole('button', { name: 'Up to the parent folder' }).click();
    });
  }

  async select(name: string): Promise<void> {
    await test.step(`tick ${name}`, async () => {
      await this.dialog().getByRole('checkbox', { name: `Select ${name}` }).check();
    });
  }

  chosen(): Locator {
    return this.dialog().getByRole('list', { name: 'Chosen paths' }).getByRole('listitem');
  }

  async setIncludeSubfolders(on: boolean): Promise<void> {
    await this.dialog().getByRole('checkbox', { name: 'Include subfolders' }).setChecked(on);
  }

  async start(): Promise<void> {
    await test.step('start the import', async () => {
      await this.dialog().getByRole('button', { name: /^Import \d+$/ }).click();
      await expect(this.dialog()).toBeHidden();
    });
  }
}
