/**
 * The Train view's pure logic (no DOM): the settings form against the shared schema, what each
 * chart plots, and keeping a run's metrics current from live events.
 */
import { describe, expect, it } from 'vitest';
import type { EpochMetrics, RunDto, RunMetricsDto, StepMetrics } from '../../src-main/shared/run-dto.js';
import { defaultTrainSettings, methodInfo, TEACHER_NEEDED, trainingMethods, trainSettingsSchema } from '../../src-main/shared/training.js';
import {
  accuracyChart,
  alignSeries,
  comparisonChart,
  lossChart,
  maskRateChart,
  thresholdChart,
} from '../../src-renderer/features/train/chart-data.js';
import {
  ADVANCED_FIELDS,
  ALL_FIELDS,
  BUDGET_FIELDS,
  SHARED_FIELDS,
  buildSettings,
  emptyChoices,
  methodFields,
} from '../../src-renderer/features/train/settings-form.js';
import { epochsText, pretrainSuffix, pretrainText, runKindText } from '../../src-renderer/features/train/run-labels.js';
import { mergeMetrics, withEpoch, withStep } from '../../src-renderer/state/run-metrics.js';

function epoch(n: number, step: number, extra: Partial<EpochMetrics> = {}): EpochMetrics {
  return {
    epoch: n,
    step,
    lr: 0.03,
    loss: 2 - n * 0.1,
    supervisedLoss: 1,
    unsupervisedLoss: 1,
    maskRate: n * 0.1,
    trainAccuracy: 0.5,
    validationAccuracy: n * 0.2,
    validationLoss: 1.5,
    classThresholds: null,
    clipsPerSecond: 10,
    seconds: 3,
    ...extra,
  };
}

function step(n: number, e = 1): StepMetrics {
  return { epoch: e, step: n, loss: 2 / n, maskRate: 0.1 * n };
}

describe('settings form', () => {
  const accepts = (key: string, value: number) =>
    trainSettingsSchema.safeParse({ ...defaultTrainSettings('fixmatch'), [key]: value }).success;

  it('has the same bounds as the shared schema for every numeric setting', () => {
    for (const field of ALL_FIELDS) {
      const tiny = field.integer ? 1 : 1e-9;
      expect(accepts(field.key, field.max), `${field.key} max`).toBe(true);
      expect(accepts(field.key, field.max + tiny), `${field.key} above max`).toBe(false);
      if (field.above) {
        expect(accepts(field.key, field.min), `${field.key} at min`).toBe(false);
        expect(accepts(field.key, field.min + 1), `${field.key} above min`).toBe(true);
      } else {
        expect(accepts(field.key, field.min), `${field.key} min`).toBe(true);
        expect(accepts(field.key, field.min - tiny), `${field.key} below min`).toBe(false);
      }
      if (field.integer) expect(accepts(field.key, field.min + 0.5), `${field.key} fraction`).toBe(false);
    }
  });

  it('shows the shared settings, the method’s own ones, and the rest under Advanced: each numeric setting once', () => {
    const fixmatch = methodFields(methodInfo.fixmatch).map((f) => f.key);
    expect(fixmatch).toEqual(['threshold', 'lambdaU', 'mu']);
    expect(methodFields(methodInfo.supervised)).toEqual([]);
    expect(SHARED_FIELDS.map((f) => f.key)).toEqual(['pretrainEpochs', 'frames', 'size', 'batchSize', 'learningRate', 'seed']);
    expect(BUDGET_FIELDS['until-plateau'].map((f) => f.key)).toEqual(['patience', 'maxEpochs', 'minEpochs', 'minImprovement']);
    expect(BUDGET_FIELDS.epochs.map((f) => f.key)).toEqual(['epochs']);
    expect(methodFields(methodInfo.videossl).map((f) => f.key)).toEqual(['threshold', 'lambdaU', 'distillWeight', 'mu']);
    const everyMethodField = new Set(Object.values(methodInfo).flatMap((info) => methodFields(info).map((f) => f.key)));
    const shown = [...SHARED_FIELDS, ...BUDGET_FIELDS['until-plateau'], ...BUDGET_FIELDS.epochs, ...ADVANCED_FIELDS].map((f) => f.key).concat([...everyMethodField], ['validationFraction']);
    expect(new Set(shown).size).toBe(shown.length);
    // teacherDir is a path (null: none), the one nullable setting that is not a number.
    const numericInSchema = Object.entries(defaultTrainSettings('fixmatch'))
      .filter(([key, value]) => typeof value === 'number' || (value === null && key !== 'teacherDir'))
      .map(([key]) => key);
    expect(new Set(shown)).toEqual(new Set(numericInSchema));
  });

  it('starts from the method’s defaults and the remembered flip choice', () => {
    const built = buildSettings('flexmatch', defaultTrainSettings('flexmatch'), emptyChoices(), false);
    expect(built).toEqual({ ok: true, settings: { ...defaultTrainSettings('flexmatch'), flip: false } });
    expect(trainSettingsSchema.parse(built.ok ? built.settings : null)).toBeTruthy();
  });

  it('applies what the person typed, blank meaning the default (or none, for the sampling rate)', () => {
    const choices = emptyChoices();
    choices.numbers = { epochs: ' 1 ', frames: '4', size: '16', learningRate: '', fps: '' };
    choices.flip = true;
    choices.budget = 'epochs';
    const built = buildSettings('fixmatch', defaultTrainSettings('fixmatch'), choices, false);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.settings).toMatchObject({ method: 'fixmatch', epochs: 1, frames: 4, size: 16, learningRate: 0.03, fps: null, flip: true });
    expect(trainSettingsSchema.safeParse(built.settings).success).toBe(true);
  });

  it('pretrains with SVT unless the contrast is chosen', () => {
    const choices = emptyChoices();
    choices.numbers = { pretrainEpochs: '3' };
    expect(buildSettings('fixmatch', defaultTrainSettings('fixmatch'), choices, false)).toMatchObject({ ok: true, settings: { pretrainEpochs: 3, pretrainObjective: 'svt' } });
    choices.pretrainObjective = 'contrast';
    const built = buildSettings('fixmatch', defaultTrainSettings('fixmatch'), choices, false);
    expect(built).toMatchObject({ ok: true, settings: { pretrainEpochs: 3, pretrainObjective: 'contrast' } });
    expect(built.ok && trainSettingsSchema.safeParse(built.settings).success).toBe(true);
  });

  it('trains until it stops improving unless the fixed budget is chosen; the hidden budget’s fields neither apply nor block', () => {
    const choices = emptyChoices();
    choices.numbers = { epochs: '0', patience: '4', maxEpochs: '50' };
    const plateau = buildSettings('fixmatch', defaultTrainSettings('fixmatch'), choices, true);
    expect(plateau).toMatchObject({ ok: true, settings: { budget: 'until-plateau', patience: 4, maxEpochs: 50, epochs: 20 } });
    choices.budget = 'epochs';
    choices.numbers = { epochs: '5', patience: 'x' };
    expect(buildSettings('fixmatch', defaultTrainSettings('fixmatch'), choices, true)).toMatchObject({ ok: true, settings: { budget: 'epochs', epochs: 5, patience: 10 } });
    // UPS trains each round for its epochs whatever the budget.
    choices.budget = null;
    expect(buildSettings('ups', defaultTrainSettings('ups'), choices, true)).toMatchObject({ ok: true, settings: { epochs: 5, patience: 10 } });
  });

  it('says which setting is wrong and why', () => {
    const choices = emptyChoices();
    choices.numbers = { epochs: '0', frames: '2.5', size: 'big', learningRate: '0' };
    choices.budget = 'epochs';
    const built = buildSettings('fixmatch', defaultTrainSettings('fixmatch'), choices, true);
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(built.errors).toEqual({
      epochs: 'Epochs: at least 1.',
      frames: 'Frames per clip: a whole number is needed.',
      size: 'Frame size (px): “big” is not a number.',
      learningRate: 'Learning rate: above 0.',
    });
    expect(built.message).toBe('Epochs: at least 1.');
  });

  it('takes the step memory budget under Advanced: whole MiB, blank or 0 leaving it to the backend', () => {
    expect(ADVANCED_FIELDS.map((f) => f.key)).toContain('maxStepMemory');
    const choices = emptyChoices();
    choices.numbers = { maxStepMemory: '768' };
    const set = buildSettings('mvpl', defaultTrainSettings('mvpl'), choices, false);
    expect(set.ok && set.settings.maxStepMemory).toBe(768);
    choices.numbers = { maxStepMemory: '' };
    const blank = buildSettings('mvpl', defaultTrainSettings('mvpl'), choices, false);
    expect(blank.ok && blank.settings.maxStepMemory).toBe(0);
    choices.numbers = { maxStepMemory: '1.5' };
    const bad = buildSettings('mvpl', defaultTrainSettings('mvpl'), choices, false);
    expect(bad.ok ? null : bad.errors).toEqual({ maxStepMemory: 'Step memory (MiB): a whole number is needed.' });
  });
});

describe('VideoSSL’s teacher and pretraining in the form', () => {
  it('puts the teacher folder into a VideoSSL run, and pretraining into any method’s', () => {
    const choices = emptyChoices();
    choices.teacherDir = '  /models/teacher ';
    choices.numbers = { distillWeight: '0.5', pretrainEpochs: '3' };
    const built = buildSettings('videossl', defaultTrainSettings('videossl'), choices, true);
    expect(built).toEqual({
      ok: true,
      settings: { ...defaultTrainSettings('videossl'), teacherDir: '/models/teacher', distillWeight: 0.5, pretrainEpochs: 3 },
    });
    expect(trainSettingsSchema.safeParse(built.ok ? built.settings : null).success).toBe(true);
    const supervised = buildSettings('supervised', defaultTrainSettings('supervised'), choices, true);
    expect(supervised.ok && supervised.settings).toMatchObject({ pretrainEpochs: 3, teacherDir: null });
    for (const method of trainingMethods) expect(defaultTrainSettings(method).pretrainEpochs).toBe(0);
  });

  it('needs a teacher for VideoSSL only: a blank one is “missing” (said on Start), a relative one an error', () => {
    const blank = buildSettings('videossl', defaultTrainSettings('videossl'), emptyChoices(), true);
    expect(blank).toEqual({ ok: false, errors: { teacherDir: TEACHER_NEEDED }, message: TEACHER_NEEDED, onlyMissing: true });
    for (const method of trainingMethods.filter((m) => m !== 'videossl')) {
      expect(buildSettings(method, defaultTrainSettings(method), emptyChoices(), true).ok, method).toBe(true);
    }
    const choices = emptyChoices();
    choices.teacherDir = 'models/teacher';
    const relative = buildSettings('videossl', defaultTrainSettings('videossl'), choices, true);
    expect(relative).toMatchObject({ ok: false, onlyMissing: false, message: 'Teacher model folder: give the full path (“models/teacher” is relative).' });
    choices.teacherDir = 'C:\\models\\teacher';
    expect(buildSettings('videossl', defaultTrainSettings('videossl'), choices, true).ok).toBe(true);
    // A wrong number besides a blank teacher is an error at once.
    const both = emptyChoices();
    both.numbers = { distillWeight: '101' };
    expect(buildSettings('videossl', defaultTrainSettings('videossl'), both, true)).toMatchObject({
      ok: false,
      onlyMissing: false,
      errors: { distillWeight: 'Distillation weight λd: at most 100.', teacherDir: TEACHER_NEEDED },
    });
  });
});

describe('chart data', () => {
  it('lines up series sampled at different x values, with gaps as null', () => {
    const data = alignSeries([
      [
        [3, 1],
        [1, 2],
      ],
      [
        [2, 5],
        [3, null],
      ],
    ]);
    expect(data.aligned).toEqual([
      [1, 2, 3],
      [2, null, 1],
      [null, 5, null],
    ]);
    expect(data.points).toBe(3);
  });

  it('plots steps and epochs of one run', () => {
    const metrics: RunMetricsDto = {
      runId: 1,
      steps: [step(1), step(2), step(3)],
      epochs: [epoch(1, 3, { classThresholds: [0, 0.2] }), epoch(2, 6, { validationAccuracy: null, classThresholds: [0.1, 0.5] })],
    };
    expect(lossChart(metrics).aligned).toEqual([
      [1, 2, 3, 6],
      [2, 1, 2 / 3, null],
      [null, null, 1.9, 1.8],
      [null, null, 1.5, 1.5],
    ]);
    expect(accuracyChart(metrics).aligned).toEqual([
      [1, 2],
      [0.2, null],
      [0.5, 0.5],
    ]);
    expect(maskRateChart(metrics).points).toBe(5);
    expect(thresholdChart(metrics.epochs, 2).aligned).toEqual([
      [1, 2],
      [0, 0.1],
      [0.2, 0.5],
    ]);
    expect(thresholdChart([epoch(1, 3)], 2).points).toBe(0);
  });

  it('keeps pretraining epochs apart: their own loss series, no accuracy, no mask rate', () => {
    const pretrain = (n: number, stepAt: number) =>
      epoch(n, stepAt, { stage: 'pretrain', loss: 5, validationAccuracy: null, validationLoss: null, trainAccuracy: 0, maskRate: 0 });
    const metrics: RunMetricsDto = {
      runId: 1,
      steps: [step(1, 1), step(2, 1), step(3, 2), step(4, 2)],
      epochs: [pretrain(1, 2), epoch(2, 4)],
    };
    expect(lossChart(metrics, true).aligned).toEqual([
      [1, 2, 3, 4],
      [2, 1, 2 / 3, 0.5],
      [null, null, null, 1.8],
      [null, null, null, 1.5],
      [null, 5, null, null],
    ]);
    expect(accuracyChart(metrics).aligned).toEqual([
      [1, 2],
      [null, 0.4],
      [null, 0.5],
    ]);
    expect(maskRateChart(metrics, 1).aligned).toEqual([
      [3, 4],
      [0.1 * 3, 0.1 * 4],
      [null, 0.2],
    ]);
    expect(comparisonChart([metrics]).points).toBe(1);
  });

  it('says where a run with pretraining stands, and nothing for one without', () => {
    const run = (pretrainEpochs: number, epochsDone: number): RunDto => ({
      id: 1,
      name: 'r',
      origin: 'trained',
      source: null,
      method: 'fixmatch',
      settings: { ...defaultTrainSettings('fixmatch'), epochs: 4, pretrainEpochs },
      status: 'running',
      error: null,
      jobId: 1,
      backend: 'wasm',
      backendReason: null,
      epochsDone,
      classes: [],
      dataset: { train: 2, validation: 0, unlabelled: 4 },
      last: null,
      bestValidationAccuracy: null,
      stop: null,
      predictions: 0,
      resumable: false,
      hasModel: false,
      createdAt: '2025-01-01T00:00:00Z',
      startedAt: null,
      finishedAt: null,
    });
    expect(pretrainText(run(0, 1), 'FixMatch')).toBeNull();
    expect(pretrainSuffix(run(0, 1))).toBe('');
    expect(pretrainText(run(3, 1), 'FixMatch')).toBe('Pretraining without labels (SVT): 1 / 3 epochs, then FixMatch');
    expect(pretrainText(run(3, 3), 'FixMatch')).toBe('Pretrained 3 epochs without labels (SVT), then FixMatch');
    const contrast = run(3, 3);
    expect(pretrainText({ ...contrast, settings: contrast.settings && { ...contrast.settings, pretrainObjective: 'contrast' } }, 'FixMatch')).toBe(
      'Pretrained 3 epochs without labels (contrast), then FixMatch',
    );
    expect(pretrainSuffix(run(3, 3))).toBe(' + 3 pretraining');
  });

  it('words an imported run by its file, with no epochs or pretraining', () => {
    const imported: RunDto = {
      id: 4,
      name: 'Imported results.json',
      origin: 'imported',
      source: { file: '/data/out/results.json', format: 'activitynet' },
      method: null,
      settings: null,
      status: 'succeeded',
      error: null,
      jobId: null,
      backend: null,
      backendReason: null,
      epochsDone: 0,
      classes: [],
      dataset: { train: 0, validation: 0, unlabelled: 0 },
      last: null,
      bestValidationAccuracy: null,
      stop: null,
      predictions: 12,
      resumable: false,
      hasModel: false,
      createdAt: '2025-01-01T00:00:00Z',
      startedAt: null,
      finishedAt: null,
    };
    expect(runKindText(imported, (m) => m.toUpperCase())).toBe('Imported from results.json');
    expect(epochsText(imported)).toBe('—');
    expect(pretrainText(imported, 'x')).toBeNull();
    expect(pretrainSuffix(imported)).toBe('');
  });

  it('overlays the validation accuracy of several runs', () => {
    const data = comparisonChart([{ epochs: [epoch(1, 1), epoch(2, 2)] }, { epochs: [epoch(1, 5)] }]);
    expect(data.aligned).toEqual([
      [1, 2],
      [0.2, 0.4],
      [0.2, null],
    ]);
  });
});

describe('live metrics', () => {
  it('appends steps and epochs as they arrive', () => {
    let m: RunMetricsDto = { runId: 1, steps: [], epochs: [] };
    m = withStep(m, step(1));
    m = withStep(m, step(2));
    m = withEpoch(m, epoch(1, 2));
    expect(m.steps.map((s) => s.step)).toEqual([1, 2]);
    expect(m.epochs.map((e) => e.epoch)).toEqual([1]);
  });

  it('a resumed run going back to its checkpoint replaces what followed it', () => {
    let m: RunMetricsDto = { runId: 1, steps: [step(1), step(2), step(3), step(4)], epochs: [epoch(1, 2), epoch(2, 4)] };
    m = withStep(m, step(3, 2));
    m = withEpoch(m, epoch(2, 4, { loss: 0.5 }));
    expect(m.steps.map((s) => [s.step, s.epoch])).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
    ]);
    expect(m.epochs.map((e) => e.loss)).toEqual([1.9, 0.5]);
  });

  it('merges the stored history with events that arrived while it loaded', () => {
    const history: RunMetricsDto = { runId: 1, steps: [step(1), step(2)], epochs: [epoch(1, 2)] };
    const live: RunMetricsDto = { runId: 1, steps: [step(2), step(3)], epochs: [epoch(1, 2), epoch(2, 4)] };
    const merged = mergeMetrics(history, live);
    expect(merged.steps.map((s) => s.step)).toEqual([1, 2, 3]);
    expect(merged.epochs.map((e) => e.epoch)).toEqual([1, 2]);
  });
});
