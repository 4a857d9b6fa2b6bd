import { describe, expect, it } from 'vitest';
import { parseCacheLocation, parseThreads } from '../../src-renderer/features/settings/prefs-input.js';
import { resolveTheme } from '../../src-renderer/lib/theme.js';

describe('the theme a choice gives', () => {
  it('follows the system for System, and is fixed otherwise', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });
});

describe('the Preferences fields', () => {
  it('take CPU threads as a whole number 0–64 and say why otherwise', () => {
    expect(parseThreads(' 4 ')).toEqual({ value: 4 });
    expect(parseThreads('0')).toEqual({ value: 0 });
    expect(parseThreads('65')).toEqual({ error: 'At most 64 CPU threads.' });
    expect(parseThreads('2.5').error).toMatch(/whole number from 0 to 64/);
    expect(parseThreads('').error).toMatch(/whole number/);
  });

  it('take a blank cache location as "in the project folder" and refuse a relative one', () => {
    expect(parseCacheLocation('  ')).toEqual({ value: null });
    expect(parseCacheLocation('/mnt/fast/vssl-cache')).toEqual({ value: '/mnt/fast/vssl-cache' });
    expect(parseCacheLocation('D:\\caches')).toEqual({ value: 'D:\\caches' });
    expect(parseCacheLocation('caches').error).toMatch(/absolute path/);
  });
});
