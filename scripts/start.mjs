// `npm start` (after the build): opens the desktop app, or, where Electron cannot run, says why
// in one line and starts web mode instead. Arguments are passed on to `vssl serve` (e.g. a DIR).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { displayProblem, findElectronBinary, probeElectron, projectRoot } from './electron-binary.mjs';
import { prepareElectronNative } from './electron-native.mjs';

const DOWNLOAD_TIMEOUT_MS = 120_000;
/** An Electron that dies this soon after launch did not start (missing libraries, GPU, sandbox). */
const EARLY_EXIT_MS = 8_000;

function firstErrorLine(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => /error/i.test(l)) ?? lines[0] ?? '';
  return line.replace(/^\w*Error:\s*/, '');
}

/** The binary's path, downloading it first (bounded in time) if npm install skipped that. */
function electronBinary() {
  const found = findElectronBinary();
  if (found.ok) return found;
  console.error(`Electron binary missing (${found.reason}); trying to download it…`);
  const download = spawnSync(process.execPath, [path.join(projectRoot, 'node_modules', 'electron', 'install.js')], {
    encoding: 'utf8',
    timeout: DOWNLOAD_TIMEOUT_MS,
  });
  if (download.error?.code === 'ETIMEDOUT') {
    return { ok: false, reason: `downloading the Electron binary took longer than ${DOWNLOAD_TIMEOUT_MS / 1000}s` };
  }
  const again = findElectronBinary();
  if (again.ok) return again;
  const why = firstErrorLine(`${download.stderr ?? ''}\n${download.stdout ?? ''}`);
  return { ok: false, reason: `the Electron binary is not installed and downloading it failed${why ? `: ${why}` : ''}` };
}

function whyElectronCannotStart() {
  const binary = electronBinary();
  if (!binary.ok) return { reason: binary.reason };
  const display = displayProblem();
  if (display) return { reason: display };
  const probe = probeElectron(binary.path);
  if (!probe.ok) return { reason: probe.reason };
  const native = prepareElectronNative({ log: (m) => console.error(m) });
  if (!native.ok) return { reason: native.reason };
  return { binary: binary.path };
}

function forwardSignals(child) {
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}

function startWebMode(reason) {
  console.log(`Electron could not start here (${reason}); starting web mode instead.`);
  const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'vssl.js'), 'serve', ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  forwardSignals(child);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function startElectron(binary) {
  const started = Date.now();
  // Launching the package folder (not main.js) gives the app its name, version and data folder.
  const child = spawn(binary, [projectRoot], {
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    process.stderr.write(chunk);
    if (stderr.length < 64 * 1024) stderr += chunk.toString();
  });
  forwardSignals(child);
  child.on('error', (err) => startWebMode(`${path.basename(binary)} failed to launch: ${err.message}`));
  child.on('exit', (code, signal) => {
    if (code !== 0 && Date.now() - started < EARLY_EXIT_MS) {
      const last = stderr.trim().split('\n').pop() ?? '';
      startWebMode(`it exited at once with ${signal ?? `code ${code}`}${last ? `: ${last.trim()}` : ''}`);
      return;
    }
    process.exit(code ?? 0);
  });
}

const verdict = whyElectronCannotStart();
if (verdict.binary) startElectron(verdict.binary);
else startWebMode(verdict.reason);
