import { expect, test } from './fixtures/label-project.js';

test('the About panel shows the ffmpeg GPL notice with its source offer, and the licence texts', async ({ app }) => {
  const page = app.page;
  await page.getByRole('button', { name: 'About', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'About VSSL Studio' });
  await expect(dialog).toBeVisible();
  const notice = dialog.getByTestId('ffmpeg-notice');
  await expect(notice).toContainText('GNU General Public License, version 3');
  await expect(notice).toContainText('@ffmpeg-installer/linux-x64 4.1.0');
  await expect(notice).toContainText('@ffprobe-installer/linux-x64 5.2.0');
  await expect(notice).toContainText('https://git.ffmpeg.org/ffmpeg.git');
  await expect(notice).toContainText('Written offer');
  await dialog.getByText('GNU GENERAL PUBLIC LICENSE (GPL-3.0.txt)').click();
  await expect(dialog.getByText('Version 3, 29 June 2007')).toBeVisible();
  await expect(dialog).toContainText('resources/LICENSES');
  await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
  await expect(dialog).toBeHidden();
  expect(app.pageErrors).toEqual([]);
});
