/// <reference lib="dom" />
import type { ClassDto } from '../../src-main/shared/dto.js';
import { LABEL_KEYMAP } from '../../src-main/shared/keymap.js';
import { LABEL_VIDEO, callApi, expect, listClips, test } from './fixtures/label-project.js';
import { LabelPage } from './pages/label-page.js';

test('classes: keys that type into fields do not label; rename, recolour, rekey, reorder, archive, merge, delete with its count, undo', async ({
  app,
  vssl,
  labelProject,
}) => {
  const page = app.page;
  const label = new LabelPage(page);
  const classList = () => callApi<ClassDto[]>(page.request, vssl, 'classes:list', { includeArchived: true });
  const labelsById = async () =>
    new Map((await listClips(page.request, vssl, labelProject.videoId)).filter((c) => c.classId !== null).map((c) => [c.id, c.classId]));
  const editor = (name: string) => page.getByRole('group', { name: `Edit ${name}` });
  const openEditor = async (name: string) => {
    await page.getByRole('button', { name: `Edit class ${name}`, exact: true }).click();
    await expect(editor(name)).toBeVisible();
  };

  await app.goTo('Label');
  await label.waitForVideo();
  await label.addClass('walk');
  await label.addClass('run');
  await label.addClass('jump');
  const [walk, run, jump] = await classList();

  await test.step('typing into a field sends no label keys', async () => {
    const field = page.getByRole('textbox', { name: 'New class name' });
    await field.click();
    await page.keyboard.type('1n2 ');
    await expect(field).toHaveValue('1n2 ');
    await field.fill('');
    await expect(label.activity()).toHaveCount(0);
    await expect(label.frameIndex()).toHaveText('0');
  });

  await test.step('label five clips from the keyboard: walk, walk, run, jump, and one left for later', async () => {
    await label.leaveFields();
    for (const key of ['1', '1', '2', '3']) {
      await label.press(key);
      await label.press('ArrowRight');
    }
    await expect(label.activity('saved')).toHaveCount(4);
    await expect(label.classRow('walk').getByTestId('class-count')).toHaveText('2');
    await expect(label.overallProgress()).toHaveText(`4 of ${LABEL_VIDEO.clips} clips labelled`);
  });

  await test.step('rename walk to stroll: its labels stay', async () => {
    await openEditor('walk');
    await editor('walk').getByRole('textbox', { name: 'Name' }).fill('stroll');
    await editor('walk').getByRole('button', { name: 'Rename' }).click();
    await expect(label.classRow('stroll').getByTestId('class-count')).toHaveText('2');
    expect((await classList()).find((c) => c.id === walk!.id)?.name).toBe('stroll');
  });

  await test.step('recolour stroll and move it to key e; e then labels with it', async () => {
    await editor('stroll').getByLabel('Colour').evaluate((input: HTMLInputElement) => {
      input.value = '#00ff00';
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await editor('stroll').getByRole('combobox', { name: 'Key' }).selectOption('e');
    await expect(label.classRow('stroll').getByTestId('class-hotkey')).toHaveText('e');
    await expect.poll(async () => (await classList()).find((c) => c.id === walk!.id)).toMatchObject({ color: '#00ff00', hotkey: 'e' });
    await editor('stroll').getByRole('button', { name: 'Done' }).click();
    await label.leaveFields();
    await label.press('e');
    await expect(label.classRow('stroll').getByTestId('class-count')).toHaveText('3');
  });

  await test.step('reorder: run moves up above stroll', async () => {
    await openEditor('run');
    await editor('run').getByRole('button', { name: 'Move run up' }).click();
    await expect.poll(async () => (await classList()).map((c) => c.name)).toEqual(['run', 'stroll', 'jump']);
    await expect(page.getByTestId('class-name')).toHaveText(['run', 'stroll', 'jump']);
  });

  await test.step('archive jump: it leaves the list and its key stops labelling', async () => {
    await page.getByRole('button', { name: 'Edit class jump', exact: true }).click();
    await editor('jump').getByRole('button', { name: 'Archive' }).click();
    await expect.poll(async () => (await classList()).find((c) => c.id === jump!.id)?.archived).toBe(true);
    await expect(page.getByRole('list', { name: 'Classes list' }).getByTestId('class-name')).toHaveText(['run', 'stroll']);
    await label.leaveFields();
    const before = await label.activity().count();
    await label.press('3');
    await expect(label.activity()).toHaveCount(before);
  });

  await test.step('merge run into stroll: no label is lost', async () => {
    await editor('run').getByRole('combobox', { name: 'Merge into' }).selectOption({ label: 'stroll' });
    await editor('run').getByRole('button', { name: 'Merge…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Merge “run” into “stroll”?' });
    await expect(dialog).toContainText('1 clip labelled “run” will be labelled “stroll”');
    await dialog.getByRole('button', { name: 'Merge' }).click();
    await expect(dialog).toBeHidden();
    await expect.poll(async () => (await classList()).map((c) => c.name)).toEqual(['stroll', 'jump']);
    await expect(label.classRow('stroll').getByTestId('class-count')).toHaveText('4');
    expect([...(await labelsById()).values()].sort()).toEqual([walk!.id, walk!.id, walk!.id, walk!.id, jump!.id].sort());
    expect(run).toBeDefined();
  });

  const labelledBefore = await labelsById();
  await test.step('delete stroll: the dialog names its 4 labels; confirming removes them', async () => {
    await openEditor('stroll');
    await editor('stroll').getByRole('button', { name: 'Delete class…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete class “stroll”?' });
    await expect(dialog.getByTestId('delete-class-count')).toContainText('4 clips are labelled “stroll”');
    await dialog.getByRole('button', { name: 'Delete class and 4 labels' }).click();
    await expect(dialog).toBeHidden();
    await expect.poll(async () => (await classList()).map((c) => c.name)).toEqual(['jump']);
    await expect(label.overallProgress()).toHaveText(`1 of ${LABEL_VIDEO.clips} clips labelled`);
  });

  await test.step('Ctrl+Z brings the class and its labels back', async () => {
    await label.leaveFields();
    await label.press('Control+z');
    await expect.poll(async () => (await classList()).map((c) => c.name)).toEqual(['stroll', 'jump']);
    expect(await labelsById()).toEqual(labelledBefore);
    await expect(label.overallProgress()).toHaveText(`5 of ${LABEL_VIDEO.clips} clips labelled`);
  });

  await test.step('? shows the keyboard map: every action of the shared map and the class keys', async () => {
    await label.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard map' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('keymap-table').locator('tr')).toHaveCount(LABEL_KEYMAP.length + 1);
    await expect(dialog.getByRole('region', { name: 'Class keys' })).toContainText('e');
    await expect(dialog.getByRole('region', { name: 'Class keys' })).toContainText('stroll');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });

  expect(app.pageErrors).toEqual([]);
});
