import os from 'node:os';
import type { IncomingMessage } from 'node:http';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

function withPort(host: string, port: number): string {
  const bare = host.startsWith('[') ? host : host.includes(':') ? `[${host}]` : host;
  return `${bare.toLowerCase()}:${port}`;
}

/**
 * The Host header values this server answers to. Checking Host defeats DNS rebinding: a page on
 * evil.example whose name was re-pointed at 127.0.0.1 still sends `Host: evil.example`.
 */
export function allowedHosts(bindHost: string, port: number): Set<string> {
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

export type GuardFailure = { status: 403; reason: string };

/** Refuses requests for another host name and requests a page on another origin made. */
export function checkHostAndOrigin(req: IncomingMessage, hosts: Set<string>): GuardFailure | null {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!hosts.has(host)) {
    return { status: 403, reason: `This server does not answer to the host name ${JSON.stringify(host)}.` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) {
    return { status: 403, reason: 'Requests from other origins are refused.' };
  }
  return null;
}
