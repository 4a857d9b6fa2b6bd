import path from 'node:path';

/** Extensions picked up when a whole folder is imported; single files are always tried. */
export const VIDEO_EXTENSIONS: ReadonlySet<string> = new Set([
  '.mp4', '.m4v', '.mov', '.webm', '.mkv', '.avi', '.wmv', '.flv', '.mpg', '.mpeg', '.m2ts',
  '.mts', '.ts', '.3gp', '.ogv', '.mxf', '.dv', '.asf', '.vob', '.h264', '.264', '.hevc',
]);

export function isVideoFileName(name: string): boolean {
  return VIDEO_EXTENSIONS.has(path.extname(name).toLowerCase());
}
