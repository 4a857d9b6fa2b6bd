import path from 'node:path';
import { anomalySettingsSchema, type AnomalySettings } from '../../shared/anomaly.js';
import { UsageError } from '../usage.js';

/** Command-line flags of `vssl anomaly train`. */
export const ANOMALY_TRAIN_FLAGS = {
  normal: { type: 'string', multiple: true },
  epochs: { type: 'string' },
  size: { type: 'string' },
  seed: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  channels: { type: 'string' },
  width: { type: 'string' },
  depth: { type: 'string' },
  'max-tubes': { type: 'string' },
  'window-stride': { type: 'string' },
  'window-stride-seconds': { type: 'string' },
  'sample-fps': { type: 'string' },
  'long-side': { type: 'string' },
  threads: { type: 'string' },
  'still-boxes': { type: 'boolean' },
  teacher: { type: 'string' },
  name: { type: 'string' },
  resume: { type: 'string' },
} as const;

const NUMERIC: Record<string, keyof AnomalySettings> = {
  epochs: 'epochs',
  size: 'size',
  seed: 'seed',
  'batch-size': 'batchSize',
  lr: 'learningRate',
  channels: 'channels',
  width: 'width',
  depth: 'depth',
  'max-tubes': 'maxTubes',
  'window-stride': 'windowStride',
  'window-stride-seconds': 'windowStrideSeconds',
  'sample-fps': 'sampleFps',
  'long-side': 'longSide',
  threads: 'threads',
};

/** A flag's value as a finite number, or a UsageError naming the flag. */
export function numberFlag(command: string, flag: string, raw: unknown): number {
  const number = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(number)) {
    throw new UsageError(`${command}: --${flag} must be a number, not ${JSON.stringify(raw)}.`);
  }
  return number;
}

/**
 * `--normal a.mp4 b.mp4` as `--normal a.mp4 --normal b.mp4`: the paths after --normal up to the
 * next option are all normal footage, so a shell glob works after it.
 */
export function expandNormalPaths(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    out.push(arg);
    if (arg !== '--normal') continue;
    let next = args[i + 1];
    if (next === undefined || next.startsWith('-')) continue;
    out.push(next);
    i++;
    while ((next = args[i + 1]) !== undefined && !next.startsWith('-')) {
      out.push('--normal', next);
      i++;
    }
  }
  return out;
}

/** Parsed flags over the project's defaults, validated; every problem is a UsageError naming the flag. */
export function anomalySettingsFromFlags(values: Record<string, unknown>, defaults: AnomalySettings): AnomalySettings {
  const command = 'anomaly train';
  const input: Record<string, unknown> = { ...defaults };
  for (const [flag, key] of Object.entries(NUMERIC)) {
    const raw = values[flag];
    if (raw !== undefined) input[key] = numberFlag(command, flag, raw);
  }
  if (typeof values.teacher === 'string') input.teacherDir = path.resolve(values.teacher);
  if (values['still-boxes'] === true) input.followObjects = false;
  const parsed = anomalySettingsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const flag = key === 'teacherDir' ? 'teacher' : (Object.entries(NUMERIC).find(([, k]) => k === key)?.[0] ?? key);
    throw new UsageError(`${command}: --${flag}: ${issue?.message ?? 'invalid value'}`.replace(/\.?$/, '.'));
  }
  return parsed.data;
}
