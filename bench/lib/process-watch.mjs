// Watches another process from outside, as `top -H` would (Linux /proc): its resident memory and, per thread,
// the CPU time it has used. From two samples a thread's busy share is its CPU time over the wall time between them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

let ticks = null;

/** Clock ticks per second of /proc's CPU times (100 nearly everywhere). */
function clockTicks() {
  if (ticks === null) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

function read(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Resident memory now and at its peak (VmRSS, VmHWM) in bytes, or null once the process has gone. */
export function residentMemory(pid) {
  const status = read(`/proc/${pid}/status`);
  if (status === null) return null;
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Per thread: { tid, name, cpuSeconds } (user + system time), or null once the process has gone. */
export function threadTimes(pid) {
  let tids;
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  const hz = clockTicks();
  const out = [];
  for (const tid of tids) {
    const stat = read(`/proc/${pid}/task/${tid}/stat`);
    if (stat === null) continue;
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(fields[11]) + Number(fields[12])) / hz;
    out.push({ tid: Number(tid), name: (read(`/proc/${pid}/task/${tid}/comm`) ?? '').trim(), cpuSeconds: cpu });
  }
  return out;
}

/**
 * Samples `pid` every `intervalMs`: { seconds (since the watch began), rss, hwm, threads }. `extra()` adds
 * fields to each sample (e.g. the epoch a training run has reached). `stop()` ends it and returns the samples.
 */
export function watchProcess(pid, { intervalMs = 1000, extra = () => ({}) } = {}) {
  const began = performance.now();
  const samples = [];
  const sample = () => {
    const memory = residentMemory(pid);
    const threads = threadTimes(pid);
    if (memory === null || threads === null) return;
    samples.push({ seconds: (performance.now() - began) / 1000, ...memory, threads, ...extra() });
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return samples;
    },
  };
}

/** Each thread's busy share (%) between two samples, busiest first: [{ tid, name, busyPercent }]. */
export function busyShares(from, to) {
  const wall = to.seconds - from.seconds;
  if (!(wall > 0)) return [];
  const before = new Map(from.threads.map((t) => [t.tid, t.cpuSeconds]));
  return to.threads
    .filter((t) => before.has(t.tid))
    .map((t) => ({ tid: t.tid, name: t.name, busyPercent: Math.round((1000 * (t.cpuSeconds - before.get(t.tid))) / wall) / 10 }))
    .sort((a, b) => b.busyPercent - a.busyPercent);
}
