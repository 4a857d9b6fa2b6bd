import { expect, test, type Page } from '@playwright/test';

/** What shows while no project is open. */
export class StartScreen {
  constructor(private readonly page: Page) {}

  heading() {
    return this.page.getByRole('heading', { name: 'Create project' });
  }

  private createCard() {
    return this.page.getByRole('region', { name: 'Create project' });
  }

  async createProject(dir: string, name?: string): Promise<void> {
    await test.step(`create a project in ${dir}`, async () => {
      const card = this.createCard();
      await card.getByRole('textbox', { name: 'Project folder' }).fill(dir);
      if (name) await card.getByRole('textbox', { name: 'Name (optional)' }).fill(name);
      await card.getByRole('button', { name: 'Create project' }).click();
      await expect(this.page.getByTestId('project-path')).toHaveText(dir);
    });
  }

  /** Picks the project's parent folder with the server-side folder browser, then names a new subfolder. */
  async createProjectByBrowsing(parent: string, folderName: string, name: string): Promise<void> {
    await test.step(`create project "${name}" by browsing to ${parent}`, async () => {
      const card = this.createCard();
      await card.getByRole('button', { name: 'Browse for project folder' }).click();
      const dialog = this.page.getByRole('dialog', { name: 'Project folder' });
      await dialog.getByRole('textbox', { name: 'Folder path' }).fill(parent);
      await dialog.getByRole('button', { name: 'Go', exact: true }).click();
      await expect(dialog.getByRole('textbox', { name: 'Folder path' })).toHaveValue(parent);
      await dialog.getByRole('button', { name: 'Choose this folder' }).click();
      await expect(dialog).toBeHidden();
      const pathField = card.getByRole('textbox', { name: 'Project folder' });
      await expect(pathField).toHaveValue(parent);
      await pathField.fill(`${parent}/${folderName}`);
      await card.getByRole('textbox', { name: 'Name (optional)' }).fill(name);
      await card.getByRole('button', { name: 'Create project' }).click();
    });
  }

  async openRecent(name: string): Promise<void> {
    await test.step(`open recent project ${name}`, async () => {
      await this.page.getByRole('button', { name: `Open recent project ${name}` }).click();
    });
  }
}
