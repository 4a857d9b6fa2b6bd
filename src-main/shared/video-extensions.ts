/** Extensions picked up when a whole folder is imported (or dropped in a browser); single files are always tried. */
export const VIDEO_EXTENSIONS: ReadonlySet<string> = new Set([
  '.mp4', '.m4v', '.mov', '.webm', '.mkv', '.avi', '.wmv', '.flv', '.mpg', '.mpeg', '.m2ts',
  '.mts', '.ts', '.3gp', '.ogv', '.mxf', '.dv', '.asf', '.vob', '.h264', '.264', '.hevc',
]);

export function isVideoFileName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && VIDEO_EXTENSIONS.has(name.slice(dot).toLowerCase());
}
