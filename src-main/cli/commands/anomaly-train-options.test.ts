import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANOMALY_SETTINGS_DEFAULTS } from '../../shared/anomaly.js';
import { UsageError } from '../usage.js';
import { anomalySettingsFromFlags, expandNormalPaths } from './anomaly-train-options.js';

describe('anomaly train flags', () => {
  it('reads every path after --normal as normal footage, up to the next option', () => {
    expect(expandNormalPaths(['dir', '--normal', 'a.mp4', 'b.mp4', '--epochs', '2', '--normal', 'c.mp4'])).toEqual([
      'dir', '--normal', 'a.mp4', '--normal', 'b.mp4', '--epochs', '2', '--normal', 'c.mp4',
    ]);
    expect(expandNormalPaths(['dir', '--normal', '--json'])).toEqual(['dir', '--normal', '--json']);
    expect(expandNormalPaths(['dir', '--normal=a.mp4', 'x'])).toEqual(['dir', '--normal=a.mp4', 'x']);
  });

  it('keeps tubes following their object unless --still-boxes is given', () => {
    expect(anomalySettingsFromFlags({}, ANOMALY_SETTINGS_DEFAULTS).followObjects).toBe(true);
    expect(anomalySettingsFromFlags({ 'still-boxes': true }, ANOMALY_SETTINGS_DEFAULTS).followObjects).toBe(false);
  });

  it('sets the settings over the defaults and names the flag of a bad value', () => {
    const settings = anomalySettingsFromFlags(
      { epochs: '2', size: '16', depth: '2', width: '4', 'max-tubes': '8', 'long-side': '80', lr: '0.01', channels: '1', teacher: 'models/teacher' },
      ANOMALY_SETTINGS_DEFAULTS,
    );
    expect(settings).toEqual({
      ...ANOMALY_SETTINGS_DEFAULTS,
      epochs: 2,
      size: 16,
      depth: 2,
      width: 4,
      maxTubes: 8,
      longSide: 80,
      learningRate: 0.01,
      channels: 1,
      teacherDir: path.resolve('models/teacher'),
    });
    const usage = (values: Record<string, unknown>) => {
      try {
        anomalySettingsFromFlags(values, ANOMALY_SETTINGS_DEFAULTS);
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        return (err as Error).message;
      }
      throw new Error('expected a UsageError');
    };
    expect(usage({ epochs: 'many' })).toBe('anomaly train: --epochs must be a number, not "many".');
    expect(usage({ size: '20' })).toMatch(/^anomaly train: --size: The tube size must be a multiple of 2 to the power/);
    expect(usage({ 'max-tubes': '0' })).toMatch(/^anomaly train: --max-tubes: /);
  });
});
