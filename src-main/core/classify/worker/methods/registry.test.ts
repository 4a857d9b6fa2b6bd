import { describe, expect, it } from 'vitest';
import { defaultTrainSettings, methodInfo, roundsOf, totalEpochsOf, trainingMethods, trainSettingsSchema } from '../../../../shared/training.js';
import { methodModule } from './registry.js';

describe('the method registry', () => {
  it('pairs every declared method with the module that trains it, and the Train view lists them in declaration order', () => {
    expect(trainingMethods).toEqual(['supervised', 'pseudolabel', 'fixmatch', 'flexmatch', 'freematch', 'mvpl', 'ups', 'tcl', 'videossl']);
    for (const name of trainingMethods) {
      expect(methodModule(name).info).toBe(methodInfo[name]);
      expect(methodInfo[name].name).toBe(name);
    }
  });

  it('builds one settings schema from the methods: each setting a method shows exists, and every own setting has its default', () => {
    for (const name of trainingMethods) {
      for (const key of methodInfo[name].settings) expect(Object.keys(trainSettingsSchema.in.shape)).toContain(key);
      const defaults = defaultTrainSettings(name);
      for (const key of methodInfo[name].settings) expect(defaults[key], `${name}.${key}`).not.toBeUndefined();
    }
    expect(defaultTrainSettings('flexmatch')).toMatchObject({ flexWarmup: true, threshold: 0.95, distributionAlignment: false });
    expect(defaultTrainSettings('freematch')).toMatchObject({ freeMatchMomentum: 0.999, fairnessWeight: 0.01, lambdaU: 1, distributionAlignment: false });
    expect(defaultTrainSettings('ups')).toMatchObject({ upsRounds: 3, upsTauP: 0.7, upsKappaP: 0.05, upsTauN: 0.05, upsKappaN: 0.005 });
    expect(defaultTrainSettings('tcl')).toMatchObject({ tclWarmup: 0.1, tclFinetune: 0 });
    expect(defaultTrainSettings('videossl')).toMatchObject({ teacherDir: null, distillWeight: 1 });
    expect(defaultTrainSettings('pseudolabel')).toMatchObject({ unsupervisedWarmup: 0.4 });
    expect(() => trainSettingsSchema.parse({ method: 'fixmatch', notASetting: 1 })).toThrow();
  });

  it('reads what a batch needs and how long a run is from the declarations, not from method names', () => {
    expect(trainingMethods.filter((m) => methodInfo[m].unlabelledViews === 'weak+strong')).toEqual(['fixmatch', 'flexmatch', 'freematch', 'mvpl']);
    expect(trainingMethods.filter((m) => methodInfo[m].unlabelledViews === 'weak+double-speed')).toEqual(['tcl']);
    expect(trainingMethods.filter((m) => methodInfo[m].clipViews > 1)).toEqual(['mvpl']);
    expect(trainingMethods.filter((m) => methodInfo[m].teacher)).toEqual(['videossl']);
    expect(trainingMethods.filter((m) => !methodInfo[m].usesUnlabelled)).toEqual(['supervised']);
    expect(trainingMethods.filter((m) => methodModule(m).thresholds !== undefined)).toEqual(['flexmatch', 'freematch']);
    expect(trainingMethods.filter((m) => methodModule(m).rounds !== undefined)).toEqual(['ups']);
    const ups = { ...defaultTrainSettings('ups'), epochs: 4, upsRounds: 3, pretrainEpochs: 2 };
    expect(roundsOf(ups)).toBe(3);
    expect(totalEpochsOf(ups)).toBe(2 + 4 * 3);
    expect(totalEpochsOf({ ...defaultTrainSettings('fixmatch'), budget: 'epochs', epochs: 4, pretrainEpochs: 2 })).toBe(6);
  });
});
