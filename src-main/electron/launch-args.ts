import path from 'node:path';

/**
 * The project folder given on the command line (`vssl-studio /path/to/project`), or null. A packaged app
 * gets [exe, ...args]; `electron .` gets [electron, app folder, ...args]. Switches (-x, --flag, Chromium's
 * own) are not paths; a relative path is taken from the directory the app was started in.
 */
export function projectArgument(argv: readonly string[], isPackaged: boolean, cwd: string): string | null {
  const args = argv.slice(isPackaged ? 1 : 2);
  const candidate = args.find((arg) => arg.length > 0 && !arg.startsWith('-'));
  return candidate === undefined ? null : path.resolve(cwd, candidate);
}
