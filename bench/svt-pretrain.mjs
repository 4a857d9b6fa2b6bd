#!/usr/bin/env node
/**
 * Does self-supervised pretraining help (issue 24)? Supervised-only and FlexMatch on the digit benchmark, each
 * without pretraining, after SVT pretraining and after the old contrast, over seeds: bench/ssl-digits.mjs once per
 * seed (its --pretrain-variants trains every variant on that seed's data), then the mean and spread per method
 * and pretraining, and each pretraining's gain over none.
 *
 *   npm run build:main && node bench/svt-pretrain.mjs [--seeds 1,2,3] [--pretrain-epochs 20] [--epochs 100]
 *     [--variants none,svt,contrast] [--methods supervised,flexmatch] [--nuisance full] [--train 1000] [--test 500]
 *     [--labels-per-class 2] [--frames 8] [--size 32] [--smoke]
 * --smoke: one seed, 1 pretraining + 1 method epoch at ssl-digits' smoke size (20 pool + 10 test videos, 4×16×16).
 * Every row carries the machine record (bench/lib/machine.mjs).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { report, round, SMOKE } from './lib/harness.mjs';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: SMOKE ? '1' : '1,2,3' },
    'pretrain-epochs': { type: 'string', default: SMOKE ? '1' : '20' },
    epochs: { type: 'string', default: SMOKE ? '1' : '100' },
    variants: { type: 'string', default: SMOKE ? 'none,svt' : 'none,svt,contrast' },
    methods: { type: 'string', default: 'supervised,flexmatch' },
    nuisance: { type: 'string', default: SMOKE ? 'low' : 'full' },
    train: { type: 'string' },
    test: { type: 'string' },
    'labels-per-class': { type: 'string' },
    frames: { type: 'string' },
    size: { type: 'string', default: SMOKE ? undefined : '32' },
    smoke: { type: 'boolean' },
  },
});

const seeds = values.seeds.split(',').map(Number);
if (seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`--seeds must be whole numbers, not ${values.seeds}`);
const passed = ['train', 'test', 'labels-per-class', 'frames', 'size'].flatMap((flag) => (values[flag] === undefined ? [] : [`--${flag}`, values[flag]]));

/** One ssl-digits run: its JSON rows (one per method and variant). */
function sslDigits(seed) {
  const args = [
    path.join(import.meta.dirname, 'ssl-digits.mjs'), ...(SMOKE ? ['--smoke'] : []), '--seed', String(seed), '--methods', values.methods,
    '--epochs', values.epochs, '--pretrain-epochs', values['pretrain-epochs'], '--pretrain-variants', values.variants, '--nuisance', values.nuisance, ...passed,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ssl-digits.mjs --seed ${seed} exited with ${code}`));
      resolve(out.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line)).filter((row) => row.bench === 'ssl-digits'));
    });
  });
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const spread = (xs) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));

const rows = [];
for (const seed of seeds) rows.push(...(await sslDigits(seed)));
const variantOf = (row) => (row.pretrainEpochs > 0 ? row.pretrainObjective : 'none');
const table = values.methods.split(',').flatMap((method) =>
  values.variants.split(',').map((variant) => {
    const runs = rows.filter((r) => r.method === method && variantOf(r) === variant);
    const accuracies = runs.map((r) => r.testAccuracy);
    const baseline = rows.filter((r) => r.method === method && variantOf(r) === 'none');
    const gains = runs.flatMap((r) => baseline.filter((b) => b.seed === r.seed).map((b) => r.testAccuracy - b.testAccuracy));
    return {
      method, pretraining: variant, seeds: runs.map((r) => r.seed), testAccuracy: accuracies, meanAccuracy: round(mean(accuracies)),
      sdAccuracy: round(spread(accuracies)), gainOverNonePoints: variant === 'none' ? null : round(mean(gains)), meanWallSec: round(mean(runs.map((r) => r.wallSec))),
    };
  }),
);
report(
  {
    bench: 'svt-pretrain', nuisance: values.nuisance, epochs: Number(values.epochs), pretrainEpochs: Number(values['pretrain-epochs']),
    frames: rows[0]?.frames ?? null, size: rows[0]?.size ?? null, labelsPerClass: rows[0]?.labelsPerClass ?? null, pool: rows[0]?.pool ?? null, test: rows[0]?.test ?? null, table,
  },
  { backend: rows[0]?.backend ?? null },
);
