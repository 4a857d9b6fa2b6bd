// Runs the built `vssl` CLI from a benchmark, as a person or a script would.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildFile } from './build.mjs';
import { CLI } from './harness.mjs';
import { watchProcess } from './process-watch.mjs';

// VSSL_CLI: a script that runs another build's CLI the way bin/vssl.js runs out/main's (the default).
export const cliEntry = process.env.VSSL_CLI ? path.resolve(process.env.VSSL_CLI) : CLI;

/** Runs `vssl ARGS` (`env`: its environment; `onChild`: sees the process once started); resolves with its stdout, rejects with the command and its last stderr lines. */
export function vssl(args, { quiet = false, env = process.env, onChild = null } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliEntry, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    onChild?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (!quiet) process.stderr.write(chunk);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(stdout);
      else {
        const tail = stderr.trim().split('\n').slice(-5).join('\n');
        reject(new Error(`bench: "vssl ${args.slice(0, 3).join(' ')} …" exited with ${code}:\n${tail}`));
      }
    });
  });
}

/** `vssl ARGS` with its process watched from outside while it runs (bench/lib/process-watch.mjs): { stdout, samples }. */
export async function vsslWatched(args, watch, options = {}) {
  let watcher = null;
  try {
    const stdout = await vssl(args, { ...options, onChild: (child) => (watcher = watchProcess(child.pid, watch)) });
    return { stdout, samples: watcher?.stop() ?? [] };
  } finally {
    watcher?.stop();
  }
}

/** `vssl ARGS --json`, parsed. */
export const vsslJson = async (args, options) => JSON.parse(await vssl([...args, '--json'], options));

/** Stops with a clear line when the built CLI lacks a command a benchmark needs (asks them all at once). */
export async function requireCommands(names) {
  if (!process.env.VSSL_CLI && !fs.existsSync(buildFile('cliMain'))) {
    console.error('bench: out/main is missing: run "npm run build:main" first.');
    process.exit(1);
  }
  const answers = await Promise.all(names.map((name) => vssl([name, '--help'], { quiet: true }).then(() => null, (error) => ({ name, error }))));
  const failed = answers.find((a) => a !== null);
  if (failed) {
    const reason = /unknown command/.test(failed.error.message) ? 'is not in this build' : `does not answer --help (${failed.error.message})`;
    console.error(`bench: "vssl ${failed.name}" ${reason}; this benchmark needs ${names.map((n) => `vssl ${n}`).join(', ')}. ` +
      'Rebuild with "npm run build:main" once the CLI has them.');
    process.exit(1);
  }
}
