/**
 * Themes end to end: the switch applies at once and is remembered, System follows the system's colour scheme
 * live, and every text on the main views keeps WCAG AA contrast in both palettes, measured in the page
 * (fixtures/contrast.ts) on a project with videos, labels and a finished run (fixtures/review-run.ts).
 */
import { test as baseTest, type Page } from '@playwright/test';
import { test as labelTest } from './fixtures/label-project.js';
import { contrastFailures, formatFailures } from './fixtures/contrast.js';
import { expect, test } from './fixtures/review-run.js';
import { AnomalyPage } from './pages/anomaly-page.js';
import { LabelPage } from './pages/label-page.js';
import { ModelsPage } from './pages/models-page.js';
import { PreferencesDialog } from './pages/preferences-dialog.js';
import { ReviewPage } from './pages/review-page.js';
import { TrainPage } from './pages/train-page.js';

const LIGHT_BG = 'rgb(245, 246, 248)';
const DARK_BG = 'rgb(21, 22, 24)';

const theme = (page: Page) => page.locator('html').getAttribute('data-theme');
const pageBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

labelTest('the theme switch applies at once, without a reload, and is remembered', async ({ app, page }) => {
  const prefs = new PreferencesDialog(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await prefs.open();
  await expect(prefs.theme('System')).toBeChecked();
  await prefs.chooseTheme('Light');
  await expect.poll(() => theme(page)).toBe('light');
  await expect.poll(() => pageBackground(page)).toBe(LIGHT_BG);
  await prefs.close();

  await test.step('a reload keeps it: the preference is the app’s, not the page’s', async () => {
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await expect.poll(() => theme(page)).toBe('light');
  });

  await prefs.open();
  await expect(prefs.theme('Light')).toBeChecked();
  await prefs.chooseTheme('System');
  await expect.poll(() => theme(page)).toBe('dark');
  await test.step('System follows the system’s colour scheme as it changes', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => theme(page)).toBe('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => theme(page)).toBe('dark');
    await expect.poll(() => pageBackground(page)).toBe(DARK_BG);
  });
  await prefs.chooseTheme('Light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => theme(page)).toBe('light');
  expect(app.pageErrors).toEqual([]);
});

test('every text on the main views keeps WCAG AA contrast in the dark and the light theme', async ({ app, page }) => {
  test.setTimeout(180_000);
  const views: { name: string; ready: () => Promise<void> }[] = [
    { name: 'Library', ready: () => expect(app.library.rows()).toHaveCount(2) },
    { name: 'Label', ready: () => expect(new LabelPage(page).classRow('walk')).toBeVisible() },
    { name: 'Review', ready: async () => void (await new ReviewPage(page).waitForClip()) },
    { name: 'Train', ready: () => new TrainPage(page).waitForOptions() },
    { name: 'Models', ready: () => expect(new ModelsPage(page).rows()).toHaveCount(1) },
    { name: 'Anomaly', ready: () => expect(new AnomalyPage(page).heading()).toBeVisible() },
  ];
  const prefs = new PreferencesDialog(page);
  const found: string[] = [];
  for (const palette of ['Dark', 'Light'] as const) {
    await prefs.open();
    await prefs.chooseTheme(palette);
    await expect.poll(() => theme(page)).toBe(palette.toLowerCase());
    await test.step(`the Preferences dialog in the ${palette} theme`, async () => {
      const failures = await contrastFailures(page);
      if (failures.length > 0) found.push(`Preferences, ${palette}:\n${formatFailures(failures)}`);
    });
    await prefs.close();
    for (const view of views) {
      await test.step(`${view.name} in the ${palette} theme`, async () => {
        await app.goTo(view.name);
        await view.ready();
        const failures = await contrastFailures(page);
        if (failures.length > 0) found.push(`${view.name}, ${palette}:\n${formatFailures(failures)}`);
      });
    }
  }
  expect(found.join('\n\n'), 'text below WCAG AA contrast').toBe('');
  expect(app.pageErrors).toEqual([]);
});

baseTest('the contrast check finds text below AA, and passes text that meets it', async ({ page }) => {
  await page.setContent(`
    <style>:root { background: #ffffff; } .card { background: rgb(0 0 0 / 0.5); padding: 8px; }</style>
    <p id="grey" style="color: #999999">grey on white</p>
    <p id="black" style="color: #000000">black on white</p>
    <p id="big" style="color: #8a8a8a; font-size: 30px">large grey</p>
    <div class="card"><span id="over-translucent" style="color: #444444">dark on half black</span></div>
    <button disabled style="color: #eeeeee">disabled</button>
    <input id="field" value="typed" style="color: #bbbbbb; background: #ffffff">
  `);
  const failures = await contrastFailures(page);
  expect(failures.map((f) => [f.element.split(' > ').pop(), f.required])).toEqual([
    ['p#grey', 4.5],
    ['span#over-translucent', 4.5],
    ['input#field', 4.5],
  ]);
  expect(failures[0]?.ratio).toBeCloseTo(2.85, 2);
});
