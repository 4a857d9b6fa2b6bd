import os from 'node:os';
import type { IncomingMessage } from 'node:http';
import type { PublicAddress } from './public-address.js';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

function withPort(host: string, port: number): string {
  const bare = host.startsWith('[') ? host : host.includes(':') ? `[${host}]` : host;
  return `${bare.toLowerCase()}:${port}`;
}

/**
 * The Host header values this server answers to. Checking Host defeats DNS rebinding: a page on
 * evil.example whose name was re-pointed at 127.0.0.1 still sends `Host: evil.example`.
 */
export function localHosts(bindHost: string, port: number): Set<string> {
  const names = ['127.0.0.1', 'localhost', '::1', bindHost];
  if (WILDCARD_HOSTS.has(bindHost)) {
    // Bound to every interface: the machine's own names and addresses are legitimate too.
    names.push(os.hostname());
    for (const addresses of Object.values(os.networkInterfaces())) {
      for (const address of addresses ?? []) names.push(address.address);
    }
  }
  return new Set(names.map((name) => withPort(name, port)));
}

export interface AllowedNames {
  /** Host header values (lower case, with the port unless it is the scheme's default). */
  hosts: Set<string>;
  /** Origin header values a page of this app sends. */
  origins: Set<string>;
}

/**
 * The local names (plain http on the bound port) plus exactly what `--public-url` and
 * `--allowed-host` name; the Origin may be any of these however the proxy passes Host on.
 */
export function allowedNames(bindHost: string, port: number, address: PublicAddress): AllowedNames {
  const local = localHosts(bindHost, port);
  const origins = new Set([...local].map((host) => `http://${host}`));
  for (const host of address.hosts) {
    origins.add(`http://${host}`);
    origins.add(`https://${host}`);
  }
  const hosts = new Set([...local, ...address.hosts]);
  // The public URL names its scheme: only that origin, not its http:// twin.
  if (address.url) {
    hosts.add(address.url.host);
    origins.add(address.url.origin);
  }
  return { hosts, origins };
}

export type GuardFailure = { status: 403; reason: string };

/** Refuses requests for another host name and requests a page on another origin made. */
export function checkHostAndOrigin(req: IncomingMessage, names: AllowedNames): GuardFailure | null {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!names.hosts.has(host)) {
    return {
      status: 403,
      reason: `This server does not answer to the host name ${JSON.stringify(host)} (behind a proxy or tunnel, start it with --public-url or --allowed-host).`,
    };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !names.origins.has(origin.toLowerCase())) {
    return { status: 403, reason: 'Requests from other origins are refused.' };
  }
  return null;
}
