#!/usr/bin/env node
// `npm run bench [-- NAME...]`: builds, then runs the benchmarks one after another (they share
// two cores, so never in parallel) and prints each one's JSON. Results go in docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dir = import.meta.dirname;
const all = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && !['run.mjs', 'smoke.mjs'].includes(f))
  .map((f) => f.replace(/\.mjs$/, ''))
  .sort();
// These take from a quarter of an hour to hours, or need an input (a trained project, result files):
// they run only when named. `npm run bench:smoke` runs every one of them at its smallest size.
const LONG = ['active-learning', 'anomaly-footage', 'anomaly-long-video', 'plot-active-learning', 'ssl-digits', 'train-wall-time'];
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`bench: no benchmark called ${unknown.join(', ')} (there are: ${all.join(', ')})`);
  process.exit(2);
}

const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

let failed = 0;
for (const name of wanted.length > 0 ? wanted : all.filter((n) => !LONG.includes(n))) {
  console.log(`\n▶ ${name}`);
  const result = spawnSync(process.execPath, [path.join(dir, `${name}.mjs`)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
