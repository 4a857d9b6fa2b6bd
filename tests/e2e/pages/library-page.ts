import { expect, test, type Locator, type Page } from '@playwright/test';

/** The Library view: toolbar, the virtualised table of videos. */
export class LibraryPage {
  constructor(private readonly page: Page) {}

  table(): Locator {
    return this.page.getByRole('table', { name: 'Videos' });
  }

  rows(): Locator {
    return this.page.getByTestId('video-row');
  }

  row(fileName: string): Locator {
    return this.rows().filter({ has: this.page.getByRole('button', { name: fileName, exact: true }) });
  }

  count(): Locator {
    return this.page.getByTestId('video-count');
  }

  cell(fileName: string, column: 'duration' | 'fps' | 'resolution' | 'codec' | 'status' | 'detail'): Locator {
    return this.row(fileName).getByTestId(`video-${column}`);
  }

  poster(fileName: string): Locator {
    return this.row(fileName).getByRole('img', { name: `Poster of ${fileName}` });
  }

  async openImport(): Promise<void> {
    await test.step('open the import dialog', async () => {
      await this.page.getByRole('button', { name: 'Import…' }).first().click();
      await expect(this.page.getByRole('dialog', { name: 'Import videos' })).toBeVisible();
    });
  }

  async openVideo(fileName: string): Promise<void> {
    await test.step(`open ${fileName} in the player`, async () => {
      await this.row(fileName).getByRole('button', { name: fileName, exact: true }).click();
      await expect(this.page.getByRole('complementary', { name: 'Player' })).toBeVisible();
    });
  }

  async search(text: string): Promise<void> {
    await test.step(`search for "${text}"`, async () => {
      await this.page.getByRole('searchbox', { name: 'Search videos by name' }).fill(text);
    });
  }

  async filterStatus(label: string): Promise<void> {
    await test.step(`show only "${label}" videos`, async () => {
      const select = this.page.getByRole('combobox', { name: 'Filter by status' });
      const option = select.getByRole('option', { name: new RegExp(`^${label} \\(`) });
      await select.selectOption({ label: (await option.textContent())?.trim() ?? label });
    });
  }
}
