import { expect, test, type Locator, type Page } from '@playwright/test';

/** The task panel at the bottom: every job with progress and Cancel. */
export class TaskPanel {
  constructor(private readonly page: Page) {}

  region(): Locator {
    return this.page.getByRole('region', { name: 'Tasks' });
  }

  jobs(): Locator {
    return this.region().getByTestId('job');
  }

  /** Import jobs, newest first. */
  importJobs(): Locator {
    return this.region().getByRole('listitem', { name: /^Import/ });
  }

  importJob(): Locator {
    return this.importJobs().first();
  }

  async expand(): Promise<void> {
    const toggle = this.region().getByRole('button', { name: /Tasks/ });
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  }

  async cancel(job: Locator): Promise<void> {
    await test.step('press Cancel on the job', async () => {
      await job.getByRole('button', { name: 'Cancel' }).click();
    });
  }

  async expectState(job: Locator, label: string, timeout?: number): Promise<void> {
    await expect(job.getByTestId('job-state')).toHaveText(label, timeout ? { timeout } : {});
  }
}
