import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron';
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

/** Supplies `dialog:open` with the desktop's native open dialogs. */
export function installNativeDialogs(core: Core, getWindow: () => BrowserWindow | null): void {
  core.setHandler('dialog:open', async ({ kind, title }) => {
    const options: OpenDialogOptions = { ...OPTIONS[kind], ...(title ? { title } : {}) };
    const win = getWindow();
    const answer = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return { paths: answer.canceled ? [] : answer.filePaths };
  });
}
