import type { Locator, Page } from '@playwright/test';

/** The Models view: the rounds chart, the rounds table and "Retrain with my corrections". */
export class ModelsPage {
  constructor(private readonly page: Page) {}

  view(): Locator {
    return this.page.getByTestId('models-view');
  }

  chart(): Locator {
    return this.view().getByTestId('rounds-chart');
  }

  rows(): Locator {
    return this.view().getByRole('table', { name: 'Rounds' }).getByTestId('round-row');
  }

  row(runId: number): Locator {
    return this.view().locator(`[data-testid="round-row"][data-run-id="${runId}"]`);
  }

  retrainButton(): Locator {
    return this.view().getByRole('button', { name: 'Retrain with my corrections' });
  }

  started(): Locator {
    return this.view().getByTestId('retrain-started');
  }
}

/** The pseudo-label quality panel of a run (in the Train view's run detail, and in Review). */
export class QualityPanel {
  constructor(private readonly scope: Locator) {}

  panel(): Locator {
    return this.scope.getByTestId('quality-panel');
  }

  row(classId: number): Locator {
    return this.panel().locator(`[data-testid="quality-row"][data-class-id="${classId}"]`);
  }
}
