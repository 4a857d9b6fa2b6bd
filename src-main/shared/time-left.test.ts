import { describe, expect, it } from 'vitest';
import { formatTimeLeft } from './time-left.js';

describe('time left, as people say it', () => {
  it('rounds seconds to fives, then whole minutes, then hours and minutes', () => {
    expect(formatTimeLeft(null)).toBeNull();
    expect(formatTimeLeft(0.4)).toBe('almost done');
    expect(formatTimeLeft(2)).toBe('about 5 s left');
    expect(formatTimeLeft(43)).toBe('about 45 s left');
    expect(formatTimeLeft(61)).toBe('about 1 min left');
    expect(formatTimeLeft(3540)).toBe('about 59 min left');
    expect(formatTimeLeft(3599)).toBe('about 1 h left');
    expect(formatTimeLeft(3600)).toBe('about 1 h left');
    expect(formatTimeLeft(4800)).toBe('about 1 h 20 min left');
  });
});
