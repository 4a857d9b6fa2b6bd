import type { Core } from '../../core/core.js';
import { PublicAddressError, publicAddress, type PublicAddress } from '../../server/public-address.js';
import { startWebServer } from '../../server/web-server.js';
import type { Command } from '../command.js';
import { createCore, openOrCreateProject } from '../open-core.js';
import { printJson, printLine } from '../output.js';
import { UsageError, expectPositionals, parseCommandArgs } from '../usage.js';

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new UsageError(`serve: --port must be a whole number from 0 to 65535, not ${JSON.stringify(value)}.`);
  }
  return Number(value);
}

function parseAddress(publicUrl: unknown, allowed: unknown): PublicAddress {
  try {
    return publicAddress(
      typeof publicUrl === 'string' ? publicUrl : undefined,
      Array.isArray(allowed) ? allowed.filter((v): v is string => typeof v === 'string') : [],
    );
  } catch (err) {
    if (err instanceof PublicAddressError) throw new UsageError(`serve: ${err.message}`);
    throw err;
  }
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals) => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'web mode: serve the app to a browser',
  help: `Usage: vssl serve [DIR] [--port N] [--host H] [--public-url URL] [--allowed-host H[:P]]... [--json]

Serves VSSL Studio to a browser until Ctrl+C. With DIR, opens the project there (creating one
if the folder has none). Every request needs the random token in the printed URL; opening the
URL swaps it for a cookie.
  --port N   port to listen on (default 0: any free port)
  --host H   interface to bind (default 127.0.0.1; anything else exposes the app on a network)
  --public-url URL
             the address a browser uses behind a reverse proxy, e.g. https://gpu.example.org/vssl
             (the proxy may pass the /vssl prefix on or strip it); the printed URL is this one
  --allowed-host H[:P]
             also answer to this Host, e.g. localhost:9000 for "ssh -L 9000:127.0.0.1:PORT";
             may be repeated. Any other Host or Origin is still refused.
  --json     print one line {"url","localUrl","port","token","host"} instead of the text`,
  async run(args) {
    const { values, positionals } = parseCommandArgs('serve', args, {
      port: { type: 'string' },
      host: { type: 'string' },
      'public-url': { type: 'string' },
      'allowed-host': { type: 'string', multiple: true },
    });
    if (values.help) {
      printLine(this.help);
      return 0;
    }
    expectPositionals('serve', positionals, 0, 1, 'DIR');
    const port = parsePort(typeof values.port === 'string' ? values.port : undefined);
    const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
    if (host.trim() === '') throw new UsageError('serve: --host needs an interface name or address.');
    const address = parseAddress(values['public-url'], values['allowed-host']);
    const stopped = untilSignal();
    const core: Core = createCore('web');
    try {
      const project = positionals[0] ? await openOrCreateProject(core, positionals[0]) : null;
      const server = await startWebServer(core, { port, host, publicAddress: address });
      if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
        process.stderr.write(`vssl: listening on ${host}: anyone who can reach this machine and has the URL can use the app.\n`);
      }
      if (values.json) {
        printJson({ url: server.url, localUrl: server.localUrl, port: server.port, token: server.token, host: server.host });
      } else {
        printLine(server.url);
        if (server.url !== server.localUrl) process.stderr.write(`On this machine: ${server.localUrl}\n`);
        process.stderr.write(
          `VSSL Studio web mode${project ? ` for "${project.name}" (${project.path})` : ''}: open the URL above. Ctrl+C stops it.\n`,
        );
      }
      await stopped;
      await server.close();
    } finally {
      await core.close();
    }
    return 0;
  },
};
