import { expect, test, type Page } from '@playwright/test';
import { ImportDialog } from './import-dialog.js';
import { LibraryPage } from './library-page.js';
import { PlayerPane } from './player-pane.js';
import { StartScreen } from './start-screen.js';
import { TaskPanel } from './task-panel.js';

/** The whole app as a person sees it in the browser. */
export class VsslApp {
  readonly start: StartScreen;
  readonly library: LibraryPage;
  readonly importDialog: ImportDialog;
  readonly tasks: TaskPanel;
  readonly player: PlayerPane;
  /** Errors the page threw; a test that ends with some has found a bug. */
  readonly pageErrors: string[] = [];

  constructor(readonly page: Page) {
    this.start = new StartScreen(page);
    this.library = new LibraryPage(page);
    this.importDialog = new ImportDialog(page);
    this.tasks = new TaskPanel(page);
    this.player = new PlayerPane(page);
    page.on('pageerror', (err) => this.pageErrors.push(err.message));
  }

  async open(url: string): Promise<void> {
    await test.step('open the app at the printed URL', async () => {
      await this.page.goto(url);
      await expect(this.page.getByText('Starting…')).toBeHidden();
    });
  }

  projectName() {
    return this.page.getByTestId('project-name');
  }

  async goTo(view: string): Promise<void> {
    await test.step(`go to ${view}`, async () => {
      await this.page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view }).click();
    });
  }

  alerts() {
    return this.page.getByRole('alert');
  }
}
