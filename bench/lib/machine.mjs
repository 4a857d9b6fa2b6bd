// What machine a benchmark result came from, recorded the same way for every script: ratios and speeds bind
// to one CPU (its model, cores and SIMD), one load and one set of versions, so each result carries them.
// The load average is read when this module is first imported (the script's start) and again when the
// record is made (its end).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const STARTED = { at: new Date().toISOString(), loadavg: loadavg() };

/** SIMD and matrix flags worth knowing for tfjs-wasm (SIMD128 maps to SSE/AVX) and PyTorch (AVX2, AVX-512, AMX). */
const FLAGS = ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512bw', 'avx512vl', 'avx512_vnni', 'avx512_bf16', 'amx_tile', 'asimd', 'sve'];

function loadavg() {
  return os.loadavg().map((v) => Math.round(v * 100) / 100);
}

function quiet(command, args, options = {}) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000, ...options }).trim();
  } catch {
    return null;
  }
}

/** CPU model, flags and physical cores from /proc/cpuinfo (Linux); what os.cpus() says elsewhere. */
function cpu() {
  const cpus = os.cpus();
  let info = null;
  try {
    info = fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // not Linux: no flags
  }
  const field = (name) => (info ? new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(info)?.[1]?.trim() ?? null : null);
  const flagList = new Set((field('flags') ?? field('Features') ?? '').split(/\s+/).filter(Boolean));
  const physical = info ? new Set([...info.matchAll(/^physical id\s*:\s*(\d+)[\s\S]*?^core id\s*:\s*(\d+)/gm)].map((m) => `${m[1]}:${m[2]}`)).size : 0;
  const number = (name) => (field(name) === null ? null : Number(field(name)));
  return {
    model: field('model name') ?? cpus[0]?.model ?? null,
    // A virtual machine's model name can be generic ("Intel(R) Xeon(R) Processor"): family, model and
    // stepping still tell the generation (Intel family 6 model 143 is Sapphire Rapids).
    family: number('cpu family'),
    modelNumber: number('model'),
    stepping: number('stepping'),
    logicalCores: cpus.length,
    physicalCores: physical > 0 ? physical : null,
    availableParallelism: os.availableParallelism(),
    mhz: cpus[0]?.speed || null,
    flags: info ? Object.fromEntries(FLAGS.map((f) => [f, flagList.has(f)])) : null,
  };
}

function packageVersion(name) {
  try {
    return createRequire(path.join(ROOT, 'package.json'))(`${name}/package.json`).version;
  } catch {
    return null;
  }
}

/** PyTorch's version under /usr/bin/python3 (what bench/pytorch runs with), or null when it has none. */
function pytorchVersion() {
  if (!fs.existsSync('/usr/bin/python3')) return null;
  // importlib.metadata reads the version without importing torch (seconds).
  return quiet('/usr/bin/python3', ['-c', "import importlib.metadata as m\ntry:\n print(m.version('torch'))\nexcept Exception:\n print('')"]) || null;
}

function git() {
  const commit = quiet('git', ['rev-parse', 'HEAD'], { cwd: ROOT });
  if (commit === null) return { commit: null, dirty: null };
  const status = quiet('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT });
  return { commit, dirty: status === null ? null : status.length > 0 };
}

let fixed = null;

/** The parts that do not change during a run, read once per process. */
function staticRecord() {
  fixed ??= {
    cpu: cpu(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${process.arch}`,
    node: process.version,
    tfjs: packageVersion('@tensorflow/tfjs'),
    tfjsWasm: packageVersion('@tensorflow/tfjs-backend-wasm'),
    pytorch: pytorchVersion(),
    ...git(),
    // The build and CLI the numbers are of, when not this checkout's out/main.
    build: process.env.VSSL_BUILD ? path.resolve(process.env.VSSL_BUILD) : null,
    cli: process.env.VSSL_CLI ? path.resolve(process.env.VSSL_CLI) : null,
  };
  return fixed;
}

/**
 * The machine record every result carries: `{ cpu: { model, logicalCores, physicalCores, flags: { avx2,
 * avx512f, … } }, memoryGiB, loadavg: { before, after }, node, tfjs, pytorch, commit, dirty, backend, … }`.
 * `backend` is the TensorFlow.js backend the script used, where it knows it.
 */
export function machineRecord({ backend = null } = {}) {
  return {
    ...staticRecord(),
    backend,
    startedAt: STARTED.at,
    endedAt: new Date().toISOString(),
    loadavg: { before: STARTED.loadavg, after: loadavg() },
  };
}
