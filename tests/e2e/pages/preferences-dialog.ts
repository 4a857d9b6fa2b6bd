import { expect, test, type Locator, type Page } from '@playwright/test';

/** The Preferences dialog (header or start screen): theme, engine, cache location, recent projects. */
export class PreferencesDialog {
  constructor(private readonly page: Page) {}

  dialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Preferences' });
  }

  theme(name: 'System' | 'Light' | 'Dark'): Locator {
    return this.dialog().getByRole('group', { name: 'Theme' }).getByRole('radio', { name });
  }

  async open(): Promise<void> {
    await test.step('open Preferences', async () => {
      await this.page.getByRole('button', { name: 'Preferences', exact: true }).click();
      await expect(this.dialog()).toBeVisible();
    });
  }

  async chooseTheme(name: 'System' | 'Light' | 'Dark'): Promise<void> {
    await test.step(`choose the ${name} theme`, async () => {
      await this.theme(name).check();
      await expect(this.theme(name)).toBeChecked();
    });
  }

  async close(): Promise<void> {
    await this.dialog().getByRole('button', { name: 'Close' }).last().click();
    await expect(this.dialog()).toBeHidden();
  }
}
