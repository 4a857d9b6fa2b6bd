import { app, dialog, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import type { Core } from '../core/core.js';
import type { RecentProject } from '../shared/dto.js';
import { ApiError } from '../shared/errors.js';
import { themeChoices, type ThemeChoice } from '../shared/prefs.js';

/**
 * Menu actions go through the core like the renderer's buttons do; the UI follows along through
 * the events they cause (project:changed, job:updated), so no menu-only channel is needed.
 */
function action(core: Core, work: (core: Core) => Promise<unknown>): () => void {
  return () => {
    work(core).catch((err: unknown) => {
      const message = err instanceof ApiError || err instanceof Error ? err.message : String(err);
      dialog.showErrorBox('VSSL Studio', message);
    });
  };
}

async function chooseProject(core: Core, title: string): Promise<string | null> {
  const { paths } = await core.call('dialog:open', { kind: 'project', title });
  return paths[0] ?? null;
}

async function importFrom(core: Core, kind: 'files' | 'folder'): Promise<void> {
  const { paths } = await core.call('dialog:open', { kind });
  if (paths.length > 0) await core.call('videos:import', { paths, recursive: true });
}

const THEME_LABELS: Record<ThemeChoice, string> = { system: 'Follow the System', light: 'Light', dark: 'Dark' };

/** The theme preference as radio items; the Preferences dialog changes the same setting. */
function themeItems(core: Core): MenuItemConstructorOptions[] {
  const current = core.prefs.get().theme;
  return themeChoices.map((choice) => ({
    label: THEME_LABELS[choice],
    type: 'radio',
    checked: current === choice,
    click: action(core, (c) => c.call('prefs:set', { theme: choice })),
  }));
}

/** File › Open Recent: the projects opened lately (those gone from disk greyed out), and Clear. */
function recentMenu(core: Core, recent: readonly RecentProject[]): MenuItemConstructorOptions {
  const items: MenuItemConstructorOptions[] = recent.map((project) => ({
    label: `${project.name} — ${project.path}`,
    enabled: project.exists,
    click: action(core, (c) => c.call('project:open', { path: project.path })),
  }));
  const clear: MenuItemConstructorOptions = {
    label: 'Clear Recently Opened',
    enabled: items.length > 0,
    click: action(core, async (c) => {
      await c.call('project:recent:clear', {});
      app.clearRecentDocuments();
    }),
  };
  return {
    label: 'Open Recent',
    submenu: [...(items.length > 0 ? items : [{ label: 'No recent projects', enabled: false }]), { type: 'separator' }, clear],
  };
}

/** The first paragraph of the ffmpeg notice: what is GPL and where the rest is. */
async function licenceSummary(core: Core): Promise<{ text: string; folder: string | null }> {
  try {
    const { folder, notices } = await core.call('app:notices', {});
    const ffmpeg = notices.find((notice) => notice.file === 'FFMPEG.txt');
    const paragraph = ffmpeg?.text.split(/\n\s*\n/)[1]?.replace(/\s*\n\s*/g, ' ').trim() ?? '';
    return { text: paragraph, folder };
  } catch (err) {
    return { text: err instanceof Error ? err.message : String(err), folder: null };
  }
}

async function showAbout(core: Core): Promise<void> {
  const licences = await licenceSummary(core);
  const { response } = await dialog.showMessageBox({
    type: 'info',
    title: 'About VSSL Studio',
    message: `VSSL Studio ${app.getVersion()}`,
    detail:
      'Label a few clips, let the model do the rest.\n\n' +
      'The same app runs in a browser with "vssl serve", and from scripts with the vssl command.\n\n' +
      `${licences.text}${licences.folder ? `\n\nThe notices, the source offer and the licence texts: ${licences.folder}` : ''}`,
    buttons: licences.folder ? ['OK', 'Show Licences'] : ['OK'],
    defaultId: 0,
  });
  if (response === 1 && licences.folder) await shell.openPath(licences.folder);
}

/** Builds the menu now, and again whenever a project opens or closes (Open Recent changes then). */
export function installAppMenu(core: Core): void {
  const build = () => {
    core
      .call('project:recent', {})
      .catch(() => [] as RecentProject[])
      .then((recent) => {
        Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(core, recent)));
        // the dock (macOS) and jump list (Windows) list the same projects
        for (const project of recent.slice(0, 10)) if (project.exists) app.addRecentDocument(project.path);
      })
      .catch((err: unknown) => console.error('VSSL Studio: building the menu failed:', err));
  };
  build();
  core.events.on('project:changed', build);
  // The theme items show the saved choice; Open Recent loses what Preferences removes from the list.
  core.events.on('prefs:changed', build);
  core.events.on('recent:changed', build);
  // The system About panel (macOS app menu, role 'about') carries the same notice as credits.
  void licenceSummary(core).then((licences) =>
    app.setAboutPanelOptions({
      applicationName: 'VSSL Studio',
      applicationVersion: app.getVersion(),
      copyright: 'Copyright © VSSL Studio contributors',
      credits: `${licences.text}${licences.folder ? ` Notices and licence texts: ${licences.folder}` : ''}`,
    }),
  );
}

function menuTemplate(core: Core, recent: readonly RecentProject[]): MenuItemConstructorOptions[] {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'New Project…',
          accelerator: 'CmdOrCtrl+Shift+N',
          click: action(core, async (c) => {
            const dir = await chooseProject(c, 'Create a project in this folder');
            if (dir) await c.call('project:create', { path: dir });
          }),
        },
        {
          label: 'Open Project…',
          accelerator: 'CmdOrCtrl+O',
          click: action(core, async (c) => {
            const dir = await chooseProject(c, 'Open a project folder');
            if (dir) await c.call('project:open', { path: dir });
          }),
        },
        recentMenu(core, recent),
        { type: 'separator' },
        { label: 'Import Videos…', accelerator: 'CmdOrCtrl+I', click: action(core, (c) => importFrom(c, 'files')) },
        { label: 'Import Folder…', accelerator: 'CmdOrCtrl+Shift+I', click: action(core, (c) => importFrom(c, 'folder')) },
        { type: 'separator' },
        { label: 'Close Project', click: action(core, (c) => c.call('project:close', {})) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(app.isPackaged
          ? []
          : ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[])),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { type: 'separator' },
        { label: 'Theme', submenu: themeItems(core) },
      ],
    },
    {
      role: 'help',
      submenu: [
        { label: 'About VSSL Studio', click: action(core, showAbout) },
      ],
    },
  ];
  return template;
}
