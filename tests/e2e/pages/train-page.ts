import { expect, test, type Locator, type Page } from '@playwright/test';

/** The Train view: the new-run form, the shown run with its charts, the run list and comparison. */
export class TrainPage {
  constructor(private readonly page: Page) {}

  view(): Locator {
    return this.page.getByTestId('train-view');
  }

  newRun(): Locator {
    return this.page.getByRole('region', { name: 'New run' });
  }

  method(title: string): Locator {
    // The radio's name is the title followed by its summary; FlexMatch's and MvPL's summaries name FixMatch.
    const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return this.newRun().getByRole('radio', { name: new RegExp(`^${escaped}(?:\\s|$)`) });
  }

  setting(label: string): Locator {
    return this.newRun().getByRole('textbox', { name: label, exact: true });
  }

  flip(): Locator {
    return this.newRun().getByRole('checkbox', { name: 'Mirror clips left–right while training' });
  }

  classHint(): Locator {
    return this.newRun().getByTestId('class-hint');
  }

  /** Why the core refused to start a run. */
  startError(): Locator {
    return this.newRun().getByTestId('start-error');
  }

  startButton(): Locator {
    return this.newRun().getByRole('button', { name: 'Start training' });
  }

  async waitForOptions(): Promise<void> {
    await expect(this.method('FixMatch')).toBeVisible();
  }

  /** How long a run trains: 'Until it stops improving' or 'A fixed number of epochs'. */
  budget(name: 'Until it stops improving' | 'A fixed number of epochs'): Locator {
    return this.newRun().getByRole('radio', { name, exact: true });
  }

  /** Picks a method and types the given settings (label → value; Epochs picks the fixed budget), then starts the run. */
  async startRun(method: string, settings: Record<string, string>): Promise<void> {
    await test.step(`start a ${method} run`, async () => {
      await this.method(method).check();
      if ('Epochs' in settings) await this.budget('A fixed number of epochs').check();
      for (const [label, value] of Object.entries(settings)) await this.setting(label).fill(value);
      await expect(this.startButton()).toBeEnabled();
      await this.startButton().click();
    });
  }

  detail(): Locator {
    return this.page.getByTestId('run-detail');
  }

  detailOf(runId: number): Locator {
    return this.page.getByRole('region', { name: `Run ${runId}`, exact: true });
  }

  chart(testId: string): Locator {
    return this.detail().getByTestId(testId);
  }

  rows(): Locator {
    return this.page.getByRole('table', { name: 'Runs' }).getByTestId('run-row');
  }

  row(runId: number): Locator {
    return this.page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
  }

  async showRun(runId: number): Promise<void> {
    await this.page.getByRole('button', { name: `Show run ${runId}`, exact: true }).click();
    await expect(this.detailOf(runId)).toBeVisible();
  }

  async waitForStatus(runId: number, status: string, timeout = 90_000): Promise<void> {
    await test.step(`wait until run ${runId} is ${status}`, async () => {
      await expect(this.row(runId).getByTestId('run-status')).toHaveText(status, { timeout });
    });
  }

  async compare(runIds: number[]): Promise<void> {
    await test.step(`compare runs ${runIds.join(', ')}`, async () => {
      for (const id of runIds) await this.page.getByRole('checkbox', { name: `Compare run ${id}`, exact: true }).check();
    });
  }

  comparisonChart(): Locator {
    return this.page.getByRole('region', { name: 'Comparison' }).getByTestId('chart-compare');
  }

  exportDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Export model' });
  }

  /**
   * Exports a run's model into `parent/<name>` (name: the suggested one unless given) choosing the parent
   * with the server-side folder browser, in the format whose radio label starts with `format`.
   */
  async exportModel(runId: number, parent: string, options: { format?: 'TF.js' | 'ONNX'; name?: string } = {}): Promise<void> {
    await test.step(`export the model of run ${runId} into ${parent} as ${options.format ?? 'TF.js'}`, async () => {
      await this.page.getByRole('button', { name: `Export the model of run ${runId}`, exact: true }).click();
      const dialog = this.exportDialog();
      await expect(dialog).toBeVisible();
      await dialog.getByRole('radio', { name: 'A folder on the server' }).check();
      if (options.format) await dialog.getByRole('radio', { name: new RegExp(`^${options.format}`) }).check();
      if (options.name) await dialog.getByRole('textbox', { name: 'Folder name' }).fill(options.name);
      await dialog.getByRole('button', { name: 'Browse for parent folder' }).click();
      const picker = this.page.getByRole('dialog', { name: 'Parent folder' });
      const pathBox = picker.getByRole('textbox', { name: 'Folder path' });
      await pathBox.fill(parent);
      await pathBox.press('Enter');
      await expect(pathBox).toHaveValue(parent);
      await picker.getByRole('button', { name: 'Choose this folder' }).click();
      await expect(picker).toBeHidden();
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    });
  }

  async deleteRun(runId: number): Promise<void> {
    await test.step(`delete run ${runId}`, async () => {
      await this.page.getByRole('button', { name: `Delete run ${runId}`, exact: true }).click();
      const dialog = this.page.getByRole('dialog', { name: `Delete run ${runId}` });
      await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
      await expect(dialog).toBeHidden();
    });
  }
}
