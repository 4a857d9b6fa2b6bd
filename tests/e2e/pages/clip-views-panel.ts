import { expect, type Locator, type Page } from '@playwright/test';

export const VIEW_KINDS = ['rgb', 'temporal-gradient', 'flow'] as const;

/** What one of the panel's canvases holds right now. */
export interface CanvasLook {
  width: number;
  height: number;
  /** Pixels never drawn (alpha 0). */
  blank: number;
  /** Distinct colours among the drawn pixels. */
  colours: number;
}

/** The Review view's "Views" panel: the clip as RGB, temporal gradient and flow, side by side. */
export class ClipViewsPanel {
  constructor(private readonly page: Page) {}

  toggle(): Locator {
    return this.page.getByTestId('review-view').getByRole('button', { name: 'Views', exact: true });
  }

  panel(): Locator {
    return this.page.getByTestId('clip-views');
  }

  canvas(kind: (typeof VIEW_KINDS)[number]): Locator {
    return this.page.getByTestId(`clip-view-${kind}`);
  }

  slider(): Locator {
    return this.panel().getByRole('slider', { name: 'Frame of the views' });
  }

  async look(kind: (typeof VIEW_KINDS)[number]): Promise<CanvasLook> {
    await expect(this.canvas(kind)).toBeVisible();
    return this.canvas(kind).evaluate((element) => {
      const canvas = element as HTMLCanvasElement;
      const context = canvas.getContext('2d');
      if (!context) throw new Error('the canvas has no 2d context');
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let blank = 0;
      const colours = new Set<number>();
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] === 0) blank++;
        else colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      }
      return { width: canvas.width, height: canvas.height, blank, colours: colours.size };
    });
  }
}
