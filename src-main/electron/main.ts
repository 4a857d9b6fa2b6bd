/**
 * The desktop shell: a thin adapter that gives the one Core a window, IPC, native dialogs, a
 * menu and the vssl-media:// protocol. All behaviour lives in src-main/core.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, type BrowserWindow } from 'electron';
import { Core } from '../core/core.js';
import { installAppMenu } from './app-menu.js';
import { projectArgument } from './launch-args.js';
import { EVENT_CHANNEL } from './channels.js';
import { registerIpcHandlers } from './ipc.js';
import { createMainWindow, trustedSenderCheck } from './main-window.js';
import { handleMediaProtocol, registerMediaScheme } from './media-protocol.js';
import { electronNativeBinding } from './native-binding.js';
import { installNativeDialogs } from './native-dialogs.js';
import { followThemePreference } from './native-theme.js';
import { installTaskbarProgress } from './taskbar-progress.js';
import { applyWindowSecurity } from './window-security.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const appRoot = path.resolve(here, '..', '..', '..');
const files = {
  indexHtml: path.resolve(here, '..', '..', 'renderer', 'index.html'),
  preload: path.join(here, 'preload.cjs'),
};

let mainWindow: BrowserWindow | null = null;
const getWindow = () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : null);

function fail(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`VSSL Studio could not start: ${message}`);
  dialog.showErrorBox('VSSL Studio could not start', message);
  app.exit(1);
}

function start(): Core {
  const core = new Core({
    mode: 'electron',
    userDataDir: process.env.VSSL_USER_DATA ?? app.getPath('userData'),
    nativeBinding: electronNativeBinding(appRoot),
  });
  applyWindowSecurity();
  followThemePreference(core);
  handleMediaProtocol(core);
  registerIpcHandlers(core, trustedSenderCheck(getWindow, files.indexHtml));
  installNativeDialogs(core, getWindow);
  installAppMenu(core);
  installTaskbarProgress(core, getWindow);
  core.events.onAny((event, payload) => {
    getWindow()?.webContents.send(EVENT_CHANNEL, event, payload);
  });
  mainWindow = createMainWindow(files);
  mainWindow.on('closed', () => (mainWindow = null));
  app.on('activate', () => {
    if (!getWindow()) mainWindow = createMainWindow(files);
  });
  return core;
}

/** Closes the project (jobs stopped, database checkpointed) before the process ends. */
function closeCoreOnQuit(core: Core): void {
  let closed = false;
  let closing = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    if (closing) return;
    closing = true;
    core
      .close()
      .catch((err: unknown) => console.error('VSSL Studio: closing the project failed:', err))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}

registerMediaScheme();

/** Opens the project named on a command line (this one's, or a second launch's), saying why if it cannot. */
function openFromCommandLine(core: Core, argv: readonly string[], cwd: string): void {
  const dir = projectArgument(argv, app.isPackaged, cwd);
  if (dir === null) return;
  core.call('project:open', { path: dir }).catch((err: unknown) => {
    dialog.showErrorBox('VSSL Studio', `Could not open ${dir}: ${err instanceof Error ? err.message : String(err)}`);
  });
}

let launched: Core | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const win = getWindow();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
    if (launched) openFromCommandLine(launched, argv, workingDirectory);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app
    .whenReady()
    .then(() => {
      launched = start();
      closeCoreOnQuit(launched);
      openFromCommandLine(launched, process.argv, process.cwd());
    })
    .catch(fail);
}
