#!/usr/bin/env node
// The `vssl` command: runs the compiled CLI in out/main (built by `npm run build:main`).
let cli;
try {
  cli = await import('../out/main/cli/main.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('out/main/cli/main.js')) throw err;
  process.stderr.write('vssl: the CLI is not built yet: run "npm run build:main" (or "npm run build") first.\n');
  process.exit(1);
}
process.exitCode = await cli.main(process.argv.slice(2));
