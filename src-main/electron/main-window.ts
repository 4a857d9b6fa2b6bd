import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, nativeTheme, type WebFrameMain } from 'electron';

export interface MainWindowFiles {
  indexHtml: string;
  preload: string;
}

function withoutHashOrQuery(url: string): string {
  const parsed = new URL(url);
  parsed.hash = '';
  parsed.search = '';
  return parsed.href;
}

export function createMainWindow(files: MainWindowFiles): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'VSSL Studio',
    show: false,
    // The palette's --bg (app.css), so the window does not flash the other theme before the page paints.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#151618' : '#f5f6f8',
    webPreferences: {
      preload: files.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.loadFile(files.indexHtml).catch((err: unknown) => {
    console.error(`VSSL Studio: cannot load ${files.indexHtml}:`, err);
  });
  return win;
}

/** Only the window's top frame showing our own index.html may call the core. */
export function trustedSenderCheck(getWindow: () => BrowserWindow | null, indexHtml: string) {
  const expected = pathToFileURL(path.resolve(indexHtml)).href;
  return (frame: WebFrameMain | null): boolean => {
    const win = getWindow();
    if (!frame || !win || win.isDestroyed()) return false;
    if (frame !== win.webContents.mainFrame) return false;
    try {
      return withoutHashOrQuery(frame.url) === expected;
    } catch {
      return false;
    }
  };
}
