/**
 * Fuzzing every label parser through the real import: random bytes, random truncations of a
 * valid file, and shuffled, deleted, duplicated or mutated lines. Whatever comes in, the import
 * either reports (rows it used, rows it skipped with a reason) or refuses the file with an
 * ApiError, and a refused file or a dry run writes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestProject, type TestProject } from '../../../../tests/fixtures/core-harness.js';
import { addVideo } from '../../../../tests/fixtures/label-projects.js';
import type { LabelFormat } from '../../../shared/dto.js';
import { ApiError } from '../../../shared/errors.js';

const CASES_PER_KIND = 100;
const FILE_ERRORS = new Set(['UNSUPPORTED', 'NOT_FOUND', 'IO_ERROR']);

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), a | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

let t: TestProject;
let samples: Map<LabelFormat, string>;

function writtenChanges(): number {
  return (t.session().project.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
}

beforeAll(async () => {
  t = await openTestProject({ author: 'fuzzer' });
  const a = addVideo(t, { path: path.join(t.media, 'a.mp4'), rate: '25/1', frames: 250 });
  const b = addVideo(t, { path: path.join(t.media, 'sub', 'b_000010_000020.mp4'), rate: '30000/1001', frames: 300, startTime: 0.7 });
  const walk = await t.core.call('classes:create', { name: 'walk' });
  const run = await t.core.call('classes:create', { name: 'run, fast' });
  const clipsA = await t.core.call('clips:list', { videoId: a });
  await t.core.call('labels:set', { clipId: clipsA[1]!.id, classId: walk.id });
  const segment = await t.core.call('clips:create', { videoId: b, startFrame: 5, endFrame: 95 });
  await t.core.call('labels:set', { clipId: segment.id, classId: run.id });
  await t.core.call('clips:create', { videoId: a, startFrame: 3, endFrame: 30 });
  const whole = await t.core.call('clips:create', { videoId: b, startFrame: 0, endFrame: 300 });
  await t.core.call('labels:set', { clipId: whole.id, classId: walk.id });
  const wholeA = await t.core.call('clips:create', { videoId: a, startFrame: 0, endFrame: 250 });
  await t.core.call('labels:set', { clipId: wholeA.id, classId: run.id });
  samples = new Map();
  const files: Record<LabelFormat, string> = {
    csv: 'sample.csv',
    kinetics: 'kinetics.csv',
    mmaction: 'list.txt',
    activitynet: 'anet.json',
    labelstudio: 'tasks.json',
  };
  for (const [format, name] of Object.entries(files) as [LabelFormat, string][]) {
    const file = path.join(t.media, name);
    await t.core.call('labels:export', { file, format });
    samples.set(format, fs.readFileSync(file, 'utf8'));
  }
});

afterAll(async () => t.dispose());

/** Beside the exported samples, so their relative paths mean the same videos. */
function fuzzFile(format: LabelFormat): string {
  if (format === 'mmaction') fs.writeFileSync(path.join(t.media, 'fuzz-mmaction.classes.txt'), 'walk\nrun, fast\n');
  return path.join(t.media, `fuzz-${format}.txt`);
}

type Mutation = (text: string, random: () => number) => string | Buffer;

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;
const ALPHABET = [...'abc019.-e,;" \n\r\t{}[]:/\\\'_'];

const ODD_VALUES: readonly unknown[] = [
  null, true, 0, -1, Number.MAX_VALUE, 0.5, 1e-9, 123456789, '', 'x', '-', '1/0', 'a.mp4', 'NaN', [], [1], [2, 1], ['a', 'b'], {},
  { start: 'a' }, { segment: [1, 2] }, { ranges: [{ start: 5, end: 1 }] }, 'x'.repeat(200),
];
const ODD_TOKENS = ['', '-1', '1e309', 'NaN', '"', 'x', '999999', '0.0001', '\t', 'walk,run', 'y'.repeat(120), '00007'];

/** Replaces, removes or adds one value somewhere in a JSON document. */
function mutateJson(doc: unknown, random: () => number): unknown {
  if (Array.isArray(doc)) {
    if (doc.length === 0 || random() < 0.15) return random() < 0.5 ? [...doc, pick(ODD_VALUES, random)] : pick(ODD_VALUES, random);
    const i = Math.floor(random() * doc.length);
    const copy = [...doc];
    if (random() < 0.15) copy.splice(i, 1);
    else copy[i] = mutateJson(copy[i], random);
    return copy;
  }
  if (typeof doc === 'object' && doc !== null) {
    const keys = Object.keys(doc);
    if (keys.length === 0 || random() < 0.15) return pick(ODD_VALUES, random);
    const key = pick(keys, random);
    const copy: Record<string, unknown> = { ...(doc as Record<string, unknown>) };
    if (random() < 0.15) delete copy[key];
    else copy[key] = mutateJson(copy[key], random);
    return copy;
  }
  return pick(ODD_VALUES, random);
}

const kinds: Record<string, Mutation> = {
  'value mutations': (text, random) => {
    try {
      let doc = JSON.parse(text) as unknown;
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) doc = mutateJson(doc, random);
      return JSON.stringify(doc, null, random() < 0.5 ? 2 : undefined);
    } catch {
      const tokens = text.split(/([,\s]+)/);
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
        tokens[2 * Math.floor((random() * tokens.length) / 2)] = pick(ODD_TOKENS, random);
      }
      return tokens.join('');
    }
  },
  'random bytes': (_text, random) =>
    random() < 0.5
      ? Buffer.from(Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256)))
      : Array.from({ length: Math.floor(random() * 300) }, () => pick(ALPHABET, random)).join(''),
  truncation: (text, random) => text.slice(0, Math.floor(random() * text.length)),
  'line shuffles, deletions and edits': (text, random) => {
    let lines = text.split('\n');
    const operations = 1 + Math.floor(random() * 4);
    for (let k = 0; k < operations; k++) {
      const i = Math.floor(random() * lines.length);
      const op = random();
      if (op < 0.25) lines.splice(i, 1);
      else if (op < 0.45) lines.splice(i, 0, lines[Math.floor(random() * lines.length)] ?? '');
      else if (op < 0.65) lines = lines.sort(() => random() - 0.5);
      else {
        const line = lines[i] ?? '';
        const at = Math.floor(random() * (line.length + 1));
        lines[i] = line.slice(0, at) + pick(ALPHABET, random) + line.slice(at + (random() < 0.5 ? 1 : 0));
      }
    }
    return lines.join('\n');
  },
};

describe.each(['csv', 'kinetics', 'mmaction', 'activitynet', 'labelstudio'] as const)('fuzzing the %s parser', (format) => {
  it.each(Object.keys(kinds))('%s: a report or a clear refusal, never a crash, nothing written when refused', async (kind) => {
    const random = rng([...`${format}/${kind}`].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7));
    const file = fuzzFile(format);
    const outcomes = { reported: 0, refused: 0 };
    for (let n = 0; n < CASES_PER_KIND; n++) {
      const input = kinds[kind]!(samples.get(format)!, random);
      fs.writeFileSync(file, input);
      const dryRun = random() < 0.7;
      const before = writtenChanges();
      const context = () => `${format} ${kind} case ${n}: ${JSON.stringify(input.toString()).slice(0, 300)}`;
      try {
        const report = await t.core.call('labels:import', { file, format, dryRun });
        outcomes.reported++;
        expect(report.applied, context()).toBeGreaterThanOrEqual(0);
        for (const skip of report.skipped) {
          expect(skip.reason.length, context()).toBeGreaterThan(0);
          expect(skip.where.length, context()).toBeGreaterThan(0);
        }
        if (dryRun) expect(writtenChanges(), context()).toBe(before);
        else if (report.applied > 0) await t.core.call('history:undo', {});
      } catch (err) {
        outcomes.refused++;
        expect(err, context()).toBeInstanceOf(ApiError);
        expect(FILE_ERRORS.has((err as ApiError).code), `${context()}: ${String(err)}`).toBe(true);
        expect((err as ApiError).message, context()).toMatch(/\S/);
        expect(writtenChanges(), context()).toBe(before);
      }
    }
    expect(outcomes.reported + outcomes.refused).toBe(CASES_PER_KIND);
    if (kind === 'random bytes') expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('the valid sample imports without a skipped row', async () => {
    const file = fuzzFile(format);
    fs.writeFileSync(file, samples.get(format)!);
    const report = await t.core.call('labels:import', { file, format, dryRun: true });
    expect(report.skipped).toEqual([]);
    expect(report.applied).toBeGreaterThan(0);
  });

  it('leaves a sound database behind', () => {
    const db = t.session().project.db;
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});
