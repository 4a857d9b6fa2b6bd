/** Hosts whose https links the app may open in the person's browser; everything else is dropped. */
const ALLOWED_HOSTS: ReadonlySet<string> = new Set(['github.com', 'www.electronjs.org', 'ffmpeg.org']);

export function isAllowedExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && ALLOWED_HOSTS.has(url.hostname) && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
