import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultTrainSettings, TEACHER_NEEDED, trainingMethods, type TrainingMethod, type TrainSettings } from '../shared/training.js';
import { settingsFromFlags } from './train-options.js';
import { UsageError } from './usage.js';

const defaults = Object.fromEntries(trainingMethods.map((m) => [m, defaultTrainSettings(m)])) as Record<TrainingMethod, TrainSettings>;

function usage(values: Record<string, unknown>): string {
  try {
    settingsFromFlags(values, defaults);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('vssl train flags', () => {
  it('sets VideoSSL’s teacher (absolute against the working folder) and λd, and pretraining for any method', () => {
    const videossl = settingsFromFlags(
      { method: 'videossl', teacher: 'models/teacher', 'distill-weight': '0.5', 'pretrain-epochs': '3', epochs: '4' },
      defaults,
    );
    expect(videossl).toEqual({
      ...defaultTrainSettings('videossl'),
      teacherDir: path.resolve('models/teacher'),
      distillWeight: 0.5,
      pretrainEpochs: 3,
      epochs: 4,
      budget: 'epochs',
    });
    expect(settingsFromFlags({ method: 'supervised', 'pretrain-epochs': '2' }, defaults)).toMatchObject({
      method: 'supervised',
      pretrainEpochs: 2,
      teacherDir: null,
    });
    expect(settingsFromFlags({ method: 'fixmatch' }, defaults).pretrainEpochs).toBe(0);
    expect(settingsFromFlags({ method: 'supervised', 'pretrain-epochs': '2' }, defaults).pretrainObjective).toBe('svt');
    expect(settingsFromFlags({ method: 'supervised', 'pretrain-epochs': '2', 'pretrain-objective': 'contrast' }, defaults).pretrainObjective).toBe('contrast');
  });

  it('trains until it stops improving by default; --epochs N trains exactly N; --until-plateau takes a patience and a ceiling', () => {
    expect(settingsFromFlags({ method: 'fixmatch' }, defaults)).toMatchObject({ budget: 'until-plateau', patience: 10, maxEpochs: 200 });
    expect(settingsFromFlags({ method: 'fixmatch', epochs: '5' }, defaults)).toMatchObject({ budget: 'epochs', epochs: 5 });
    expect(
      settingsFromFlags({ method: 'fixmatch', 'until-plateau': true, patience: '4', 'max-epochs': '60', 'min-epochs': '8', 'min-improvement': '0.02' }, defaults),
    ).toMatchObject({ budget: 'until-plateau', patience: 4, maxEpochs: 60, minEpochs: 8, minImprovement: 0.02 });
    expect(settingsFromFlags({ method: 'fixmatch', patience: '4' }, defaults)).toMatchObject({ budget: 'until-plateau', patience: 4 });
    expect(usage({ method: 'fixmatch', epochs: '5', 'until-plateau': true })).toBe(
      'train: --epochs N trains a fixed number of epochs; --until-plateau is for training until it stops improving (its ceiling is --max-epochs).',
    );
    expect(usage({ method: 'fixmatch', patience: '0' })).toBe('train: --patience: Too small: expected number to be >=1.');
  });

  it('sets FreeMatch’s λ and w_f, and distribution alignment only for the methods that have it', () => {
    expect(settingsFromFlags({ method: 'freematch', 'freematch-momentum': '0.99', 'fairness-weight': '0.001', 'distribution-alignment': true }, defaults)).toEqual({
      ...defaultTrainSettings('freematch'),
      freeMatchMomentum: 0.99,
      fairnessWeight: 0.001,
      distributionAlignment: true,
    });
    expect(settingsFromFlags({ method: 'flexmatch', 'distribution-alignment': true }, defaults).distributionAlignment).toBe(true);
    expect(settingsFromFlags({ method: 'fixmatch' }, defaults).distributionAlignment).toBe(false);
    expect(usage({ method: 'tcl', 'distribution-alignment': true })).toMatch(/--distribution-alignment is an option of fixmatch, flexmatch, freematch, not of --method tcl/);
    expect(usage({ method: 'freematch', 'fairness-weight': '-1' })).toMatch(/^train: --fairness-weight: /);
    expect(usage({ method: 'freematch', 'freematch-momentum': '1' })).toMatch(/^train: --freematch-momentum: /);
  });

  it('refuses VideoSSL without --teacher and names the flag of a bad value', () => {
    expect(usage({ method: 'videossl' })).toBe(`train: --teacher DIR is needed with --method videossl. ${TEACHER_NEEDED}`);
    expect(usage({ method: 'videossl', teacher: '/t', 'distill-weight': '-1' })).toBe(
      'train: --distill-weight: Too small: expected number to be >=0.',
    );
    expect(usage({ method: 'supervised', 'pretrain-epochs': '1.5' })).toBe('train: --pretrain-epochs: Invalid input: expected int, received number.');
    expect(usage({ method: 'supervised', 'pretrain-epochs': '501' })).toMatch(/^train: --pretrain-epochs: .*<=500\.$/);
    expect(usage({ method: 'supervised', 'pretrain-epochs': 'some' })).toBe('train: --pretrain-epochs must be a number, not "some".');
    expect(usage({ method: 'supervised', 'pretrain-objective': 'dino' })).toMatch(/^train: --pretrain-objective: .*"svt"\|"contrast"\.$/);
  });

  it('sets the step memory budget in MiB (0: the backend decides) and refuses what is not a whole MiB count', () => {
    expect(settingsFromFlags({ method: 'mvpl', 'max-step-memory': '512' }, defaults).maxStepMemory).toBe(512);
    expect(settingsFromFlags({ method: 'mvpl' }, defaults).maxStepMemory).toBe(0);
    expect(usage({ method: 'mvpl', 'max-step-memory': '-1' })).toBe('train: --max-step-memory: Too small: expected number to be >=0.');
    expect(usage({ method: 'mvpl', 'max-step-memory': '0.5' })).toBe('train: --max-step-memory: Invalid input: expected int, received number.');
    expect(usage({ method: 'mvpl', 'max-step-memory': 'lots' })).toBe('train: --max-step-memory must be a number, not "lots".');
  });
});
