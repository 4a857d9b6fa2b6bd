import { describe, expect, it } from 'vitest';
import { absolutePath } from './absolute-path.js';
import { methods } from './contract.js';

describe('paths the API takes', () => {
  it('must be absolute, so a request never writes into the server\'s working folder', () => {
    for (const good of ['/data/v.mp4', 'C:\\Videos\\v.mp4', 'd:/v.mp4', '\\\\nas\\share\\v.mp4']) expect(absolutePath.safeParse(good).success, good).toBe(true);
    for (const bad of ['v.mp4', './v.mp4', '../etc/passwd', 'C:v.mp4', '', '/a\0b']) expect(absolutePath.safeParse(bad).success, bad).toBe(false);
    const refused = methods['labels:export'].params.safeParse({ file: 'labels.csv', format: 'csv' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe('The path must be absolute (/… or C:\\…).');
    expect(methods['videos:import'].params.safeParse({ paths: ['clips/a.mp4'] }).success).toBe(false);
  });
});
