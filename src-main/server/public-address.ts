/**
 * Where a browser reaches this server when it is not 127.0.0.1:PORT: behind an HTTPS reverse proxy
 * (`--public-url https://host/path`) or through an SSH tunnel on another port (`--allowed-host`).
 */
export interface PublicAddress {
  /** The public URL's origin and path prefix ('' or '/path', never ending in '/'); null without --public-url. */
  url: { origin: string; host: string; secure: boolean; basePath: string } | null;
  /** `--allowed-host` values (lower case): Host header values answered over http or https. */
  hosts: string[];
}

/** First path segments the server itself uses: a prefix that starts with one would be ambiguous. */
const RESERVED_SEGMENTS = new Set(['api', 'media', 'events', 'download', 'upload', 'export', 'assets']);

export class PublicAddressError extends Error {}

export function parsePublicUrl(text: string): NonNullable<PublicAddress['url']> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PublicAddressError(`--public-url must be a full URL such as https://example.org/vssl, not ${JSON.stringify(text)}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PublicAddressError(`--public-url must start with https:// or http://, not ${url.protocol}//.`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new PublicAddressError('--public-url is the address only: no user, password, ?query or #fragment.');
  }
  const basePath = url.pathname.replace(/\/+$/, '');
  if (/%2f|%5c|\/\.\.?(\/|$)|\/\//i.test(basePath)) {
    throw new PublicAddressError(`--public-url has a path the server cannot serve under: ${JSON.stringify(url.pathname)}.`);
  }
  const first = basePath.split('/')[1];
  if (first !== undefined && RESERVED_SEGMENTS.has(first.toLowerCase())) {
    throw new PublicAddressError(`--public-url cannot start its path with /${first}: the server uses that path itself.`);
  }
  return { origin: url.origin, host: url.host.toLowerCase(), secure: url.protocol === 'https:', basePath };
}

/** `name`, `name:port`, `[v6]:port`, as the browser's address bar shows it. */
export function parseAllowedHost(text: string): string {
  const value = text.trim().toLowerCase();
  let parsed: URL;
  try {
    parsed = new URL(`http://${value}`);
  } catch {
    throw new PublicAddressError(`--allowed-host must be a host name with an optional :port, not ${JSON.stringify(text)}.`);
  }
  // Anything beyond host and port (a path, a user) means this was not just a host. Port 80 is
  // left out of the Host header by browsers, so it is left out here too.
  if (parsed.host !== value && `${parsed.host}:80` !== value) {
    throw new PublicAddressError(`--allowed-host must be a host name with an optional :port, not ${JSON.stringify(text)}.`);
  }
  return parsed.host;
}

export function publicAddress(publicUrl: string | undefined, allowedHosts: readonly string[] = []): PublicAddress {
  const url = publicUrl === undefined ? null : parsePublicUrl(publicUrl);
  const hosts = allowedHosts.map(parseAllowedHost);
  return { url, hosts: [...new Set(hosts)] };
}

export const NO_PUBLIC_ADDRESS: PublicAddress = { url: null, hosts: [] };
