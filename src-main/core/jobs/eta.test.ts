import { describe, expect, it } from 'vitest';
import { EtaEstimator } from './eta.js';

describe('time left for a job', () => {
  it('is unknown at first, then the remaining share over the recent rate', () => {
    const eta = new EtaEstimator();
    expect(eta.observe(1, 0, true, 0)).toBeNull();
    expect(eta.observe(1, 0.01, true, 1_000)).toBeNull(); // not long enough to judge
    // 10% in 10 s: 90% left takes 90 s
    expect(eta.observe(1, 0.1, true, 10_000)).toBeCloseTo(90, 6);
    expect(eta.current(1, 40_000)).toBeCloseTo(60, 6);
    expect(eta.current(1, 200_000)).toBe(0);
  });

  it('follows a job that slows down within a minute', () => {
    const eta = new EtaEstimator();
    for (let s = 0; s <= 60; s += 5) eta.observe(1, s / 200, true, s * 1000); // 0.5% a second
    expect(eta.current(1, 60_000)).toBeCloseTo(140, 6);
    let last: number | null = null;
    for (let s = 65; s <= 150; s += 5) last = eta.observe(1, 0.3 + (s - 60) / 1000, true, s * 1000); // now 0.1% a second
    expect(last).toBeCloseTo((1 - 0.39) / 0.001, 0);
  });

  it('has none for unknown progress, a finished job, or progress that went back (a new phase)', () => {
    const eta = new EtaEstimator();
    eta.observe(1, 0.2, true, 0);
    eta.observe(1, 0.4, true, 10_000);
    expect(eta.current(1, 10_000)).not.toBeNull();
    expect(eta.observe(1, 0.1, true, 11_000)).toBeNull();
    expect(eta.observe(1, null, true, 12_000)).toBeNull();
    eta.observe(2, 0.2, true, 0);
    eta.observe(2, 0.4, true, 10_000);
    expect(eta.observe(2, 1, false, 20_000)).toBeNull();
    expect(eta.current(2, 20_000)).toBeNull();
  });
});
