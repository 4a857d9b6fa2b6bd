import { dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import type { Core } from '../core/core.js';
import { VIDEO_EXTENSIONS } from '../core/media/video-extensions.js';

const VIDEO_FILTER = { name: 'Videos', extensions: [...VIDEO_EXTENSIONS].map((ext) => ext.slice(1)) };

const OPTIONS: Record<'folder' | 'files' | 'project', OpenDialogOptions> = {
  folder: { title: 'Import a folder of videos', properties: ['openDirectory'] },
  files: {
    title: 'Import videos',
    properties: ['openFile', 'multiSelections'],
    filters: [VIDEO_FILTER, { name: 'All files', extensions: ['*'] }],
  },
  project: { title: 'Choose a project folder', properties: ['openDirectory', 'createDirectory', 'promptToCreate'] },
};

/** Supplies `dialog:open` and `dialog:save` with the desktop's native dialogs. */
export function installNativeDialogs(core: Core, getWindow: () => BrowserWindow | null): void {
  core.setHandler('dialog:open', async ({ kind, title }) => {
    const options: OpenDialogOptions = { ...OPTIONS[kind], ...(title ? { title } : {}) };
    const win = getWindow();
    const answer = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return { paths: answer.canceled ? [] : answer.filePaths };
  });
  core.setHandler('dialog:save', async ({ title, defaultPath, filters }) => {
    const options: SaveDialogOptions = {
      title: title ?? 'Export',
      properties: ['createDirectory', 'showOverwriteConfirmation'],
      ...(defaultPath ? { defaultPath } : {}),
      ...(filters ? { filters: [...filters, { name: 'All files', extensions: ['*'] }] } : {}),
    };
    const win = getWindow();
    const answer = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    return { path: answer.canceled || !answer.filePath ? null : answer.filePath };
  });
}
