import fs from 'node:fs';
import path from 'node:path';
import type { ClassDto, ClipDto } from '../../src-main/shared/dto.js';
import type { RunDto } from '../../src-main/shared/run-dto.js';
import { methodInfo, TEACHER_NEEDED } from '../../src-main/shared/training.js';
import type { APIRequestContext } from '@playwright/test';
import { callApi, expect, listClips, test } from './fixtures/label-project.js';
import type { VsslServer } from './fixtures/vssl-server.js';
import { TrainPage } from './pages/train-page.js';

/** A 1-epoch run on 4×16×16 clips, small batches so the epoch has a few steps: seconds on wasm. */
const TINY = { Epochs: '1', 'Frames per clip': '4', 'Frame size (px)': '16', 'Batch size': '2' };

async function labelWalkAndRun(request: APIRequestContext, vssl: VsslServer, videoId: number): Promise<void> {
  await test.step('label three clips each of "walk" and "run"; "jump" gets none', async () => {
    const clips = await listClips(request, vssl, videoId);
    const auto = clips.filter((clip: ClipDto) => clip.origin === 'auto');
    expect(auto.length).toBeGreaterThanOrEqual(8);
    const create = (name: string) => callApi<ClassDto>(request, vssl, 'classes:create', { name });
    const walk = await create('walk');
    const run = await create('run');
    await create('jump');
    for (const [i, cls] of [walk, walk, walk, run, run, run].entries()) {
      await callApi(request, vssl, 'labels:set', { clipId: auto[i]?.id, classId: cls.id });
    }
  });
}

test('train FixMatch and FlexMatch runs, watch the charts, compare them and export a model', async ({
  app,
  vssl,
  labelProject,
  workDir,
}) => {
  // Three real training runs (decode, train, predict) on a tiny input: about a minute and a half on two cores.
  test.setTimeout(210_000);
  const page = app.page;
  const train = new TrainPage(page);

  await labelWalkAndRun(page.request, vssl, labelProject.videoId);

  await app.goTo('Train');
  await train.waitForOptions();

  await test.step('the form shows the labelled clips, warns about the class without labels and explains flips', async () => {
    await expect(train.newRun()).toContainText('6 labelled clips');
    await expect(train.classHint()).toContainText('No labelled clip yet for “jump”');
    await expect(train.newRun()).toContainText('A horizontal flip turns “swipe left” into “swipe right”');
    await expect(train.flip()).toBeChecked();
  });

  await test.step('the form says which backend runs compute on, and why no GPU is used here', async () => {
    const backend = train.newRun().getByTestId('train-backend');
    await expect(backend).toContainText(/Training runs on (wasm|cpu|node) \(no GPU found: the defaults use a small input\)/);
    await expect(backend).toHaveAttribute('title', /webgpu: (no GPU device|only a software adapter|no WebGPU adapter)/);
    await expect(train.setting('Frames per clip')).toHaveAttribute('placeholder', '8');
  });

  await test.step('each method shows its published defaults and the settings it reads', async () => {
    await train.method('FixMatch').check();
    await expect(train.setting('Confidence threshold τ')).toHaveAttribute('placeholder', '0.95');
    await expect(train.setting('Unlabelled ratio μ')).toHaveAttribute('placeholder', '7');
    await expect(train.budget('Until it stops improving')).toBeChecked();
    await expect(train.setting('Patience (epochs)')).toHaveAttribute('placeholder', '10');
    await expect(train.setting('At most (epochs)')).toHaveAttribute('placeholder', '200');
    await expect(train.setting('Epochs')).toHaveCount(0);
    await train.budget('A fixed number of epochs').check();
    await expect(train.setting('Epochs')).toHaveAttribute('placeholder', '20');
    await expect(train.setting('Patience (epochs)')).toHaveCount(0);
    await train.budget('Until it stops improving').check();
    await train.method('Supervised').check();
    await expect(train.setting('Confidence threshold τ')).toHaveCount(0);
    await train.method('FlexMatch').check();
    await expect(train.newRun().getByRole('checkbox', { name: /Threshold warm-up/ })).toBeChecked();
    await expect(train.newRun().getByRole('checkbox', { name: /Distribution alignment/ })).not.toBeChecked();
    await train.method('FreeMatch').check();
    await expect(train.setting('Momentum λ')).toHaveAttribute('placeholder', '0.999');
    await expect(train.setting('Fairness weight w_f')).toHaveAttribute('placeholder', '0.01');
    await expect(train.setting('Confidence threshold τ')).toHaveCount(0);
    await expect(train.newRun().getByRole('checkbox', { name: /Threshold warm-up/ })).toHaveCount(0);
    await train.method('MvPL (multi-view)').check();
    await expect(train.setting('Confidence threshold τ')).toHaveAttribute('placeholder', '0.95');
    await train.method('UPS (uncertainty-aware)').check();
    await expect(train.setting('Rounds')).toHaveAttribute('placeholder', '3');
    await expect(train.setting('τp (confidence)')).toHaveAttribute('placeholder', '0.7');
    await expect(train.setting('κn')).toHaveAttribute('placeholder', '0.005');
    await expect(train.setting('Confidence threshold τ')).toHaveCount(0);
    await train.method('TCL (temporal contrast)').check();
    await expect(train.setting('Warm-up share')).toHaveAttribute('placeholder', '0.1');
    await expect(train.setting('Pseudo-label fine-tuning share')).toHaveAttribute('placeholder', '0');
    await expect(train.setting('Rounds')).toHaveCount(0);
  });

  await test.step('a value out of range is refused before starting, with the reason', async () => {
    await train.method('FixMatch').check();
    await train.setting('Frames per clip').fill('1');
    await expect(train.newRun().getByRole('alert')).toHaveText('Frames per clip: at least 2.');
    await expect(train.startButton()).toBeDisabled();
  });

  await test.step('the first run trains with flips off, and its charts fill in', async () => {
    await train.flip().uncheck();
    await train.startRun('FixMatch', TINY);
    await expect(train.detailOf(1)).toBeVisible();
    await train.waitForStatus(1, 'Finished');
    await expect(train.chart('chart-loss')).toHaveAttribute('data-points', /^[1-9]\d*$/);
    await expect(train.chart('chart-accuracy')).toHaveAttribute('data-points', /^[1-9]\d*$/);
    await expect(train.chart('chart-mask-rate')).toHaveAttribute('data-points', /^[1-9]\d*$/);
    await expect(train.detail().getByTestId('run-best-accuracy')).toHaveText(/^\d+\.\d %$/);
    await expect(train.detail().getByTestId('run-epochs')).toHaveText('1 / 1');
    await expect(train.detail().getByTestId('run-stop')).toHaveText('Trained all 1 epoch of its fixed budget.');
    await expect(train.detail().getByTestId('run-backend')).toContainText(/wasm|cpu|tensorflow/);
    await expect(train.row(1).getByTestId('run-row-accuracy')).toHaveText(/^\d+\.\d %$/);
  });

  await test.step('the project remembers that flips were off', async () => {
    await page.reload();
    await app.goTo('Train');
    await train.waitForOptions();
    await expect(train.flip()).not.toBeChecked();
    // The charts come back from the stored metrics.
    await expect(train.detailOf(1)).toBeVisible();
    await expect(train.chart('chart-loss')).toHaveAttribute('data-points', /^[1-9]\d*$/);
  });

  await test.step('a second run, FlexMatch until it stops improving, says why it stopped and charts its per-class thresholds', async () => {
    const { Epochs: _fixed, ...input } = TINY;
    await train.startRun('FlexMatch', { ...input, 'Patience (epochs)': '1', 'At least (epochs)': '1', 'At most (epochs)': '2' });
    await expect(train.detailOf(2)).toBeVisible();
    await train.waitForStatus(2, 'Finished');
    await expect(train.detail().getByTestId('run-stop')).toHaveText(
      /^Stopped at epoch 2(: (validation accuracy|mask rate) had not improved for 1 epoch|, the ceiling: (validation accuracy|mask rate) was still improving) \(best \d+\.\d % at epoch [12]\)\./,
    );
    await expect(train.chart('chart-thresholds')).toHaveAttribute('data-points', /^[1-9]\d*$/);
    await expect(train.chart('chart-thresholds')).toContainText('walk');
    await expect(train.rows()).toHaveCount(2);
  });

  await test.step('ticking both overlays their validation accuracy', async () => {
    await expect(page.getByText('Tick two or more runs to overlay their validation accuracy.')).toBeVisible();
    await train.compare([1, 2]);
    const chart = train.comparisonChart();
    await expect(chart).toBeVisible();
    // Run 1's one epoch and run 2's two.
    await expect(chart).toHaveAttribute('data-points', '3');
    await expect(chart).toContainText('#1 fixmatch');
    await expect(chart).toContainText('#2 flexmatch');
  });

  const exportParent = path.join(workDir, 'exports');
  fs.mkdirSync(exportParent);
  await train.exportModel(1, exportParent);

  await test.step('the export says where it wrote the model, and the files are there', async () => {
    const target = path.join(exportParent, 'model-run-1-fixmatch');
    await expect(train.exportDialog().getByTestId('model-export-summary')).toContainText(target);
    expect(fs.existsSync(path.join(target, 'model.json'))).toBe(true);
    const metadata = JSON.parse(fs.readFileSync(path.join(target, 'metadata.json'), 'utf8')) as {
      classes: { name: string }[];
      input: { frames: number; size: number };
    };
    expect(metadata.classes.map((c) => c.name)).toEqual(['walk', 'run']);
    expect(metadata.input).toMatchObject({ frames: 4, size: 16 });
    await train.exportDialog().getByRole('button', { name: 'Close', exact: true }).last().click();
    await expect(train.exportDialog()).toBeHidden();
  });

  await train.exportModel(1, exportParent, { format: 'ONNX', name: 'model-run-1-onnx' });

  await test.step('the ONNX export writes model.onnx, a README and metadata that says so', async () => {
    const target = path.join(exportParent, 'model-run-1-onnx');
    await expect(train.exportDialog().getByTestId('model-export-summary')).toContainText(target);
    await expect(train.exportDialog()).toContainText('standard ONNX graph');
    expect(fs.readdirSync(target).sort()).toEqual(['README.md', 'metadata.json', 'model.onnx']);
    const metadata = JSON.parse(fs.readFileSync(path.join(target, 'metadata.json'), 'utf8')) as { files: { model: string }; output: { kind: string } };
    expect(metadata).toMatchObject({ files: { model: 'model.onnx' }, output: { kind: 'probabilities' } });
    await train.exportDialog().getByRole('button', { name: 'Close', exact: true }).last().click();
    await expect(train.exportDialog()).toBeHidden();
  });

  await test.step('web mode: the model comes to this computer as downloads, one file each', async () => {
    await page.getByRole('button', { name: 'Export the model of run 1', exact: true }).click();
    const dialog = train.exportDialog();
    await expect(dialog.getByRole('radio', { name: 'This computer (download)' })).toBeChecked();
    await dialog.getByRole('button', { name: 'Export for download' }).click();
    const links = dialog.getByRole('list', { name: 'Downloads' }).getByRole('link');
    await expect(links.filter({ hasText: 'model-run-1-fixmatch/metadata.json' })).toBeVisible();
    const downloading = page.waitForEvent('download');
    await links.filter({ hasText: 'model-run-1-fixmatch/metadata.json' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('metadata.json');
    const metadata = JSON.parse(fs.readFileSync(await download.path(), 'utf8')) as { classes: { name: string }[] };
    expect(metadata.classes.map((c) => c.name)).toEqual(['walk', 'run']);
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await expect(dialog).toBeHidden();
  });

  await test.step('a FreeMatch run with distribution alignment charts the thresholds it adapts', async () => {
    await train.method('FreeMatch').check();
    await train.newRun().getByRole('checkbox', { name: /Distribution alignment/ }).check();
    await train.startRun('FreeMatch', TINY);
    await expect(train.detailOf(3)).toBeVisible();
    await train.waitForStatus(3, 'Finished');
    await expect(train.chart('chart-thresholds')).toHaveAttribute('data-points', /^[1-9]\d*$/);
    await expect(train.detail()).toContainText('FreeMatch: a running mean of the model');
    const run = await callApi<RunDto>(page.request, vssl, 'runs:get', { id: 3 });
    expect(run.settings).toMatchObject({ method: 'freematch', distributionAlignment: true });
  });

  await train.deleteRun(2);
  await expect(train.rows()).toHaveCount(2);
  expect(app.pageErrors).toEqual([]);
});

test('VideoSSL asks for its teacher before starting; every method offers pretraining', async ({ app, vssl, labelProject, workDir }) => {
  const page = app.page;
  const train = new TrainPage(page);
  const runCount = async () => (await callApi<RunDto[]>(page.request, vssl, 'runs:list', {})).length;
  await labelWalkAndRun(page.request, vssl, labelProject.videoId);
  await app.goTo('Train');
  await train.waitForOptions();

  await test.step('every method shows the pretraining epochs beside Epochs, 0 by default', async () => {
    for (const info of Object.values(methodInfo)) {
      await train.method(info.title).check();
      await expect(train.setting('Self-supervised pretraining (epochs)'), info.title).toHaveAttribute('placeholder', '0');
    }
  });

  await test.step('VideoSSL shows its summary, its teacher folder and its settings with their defaults', async () => {
    await train.method('VideoSSL (image teacher)').check();
    await expect(train.method('VideoSSL (image teacher)')).toBeChecked();
    await expect(train.newRun()).toContainText('an extra head learns what an image model you supply');
    await expect(train.setting('Teacher model folder')).toHaveValue('');
    await expect(train.setting('Distillation weight λd')).toHaveAttribute('placeholder', '1');
    await expect(train.setting('Confidence threshold τ')).toHaveAttribute('placeholder', '0.95');
    await expect(train.setting('Unlabelled weight λu')).toHaveAttribute('placeholder', '1');
    await expect(train.setting('Unlabelled ratio μ')).toHaveAttribute('placeholder', '7');
    // Blank is not an error until Start is pressed.
    await expect(train.newRun().getByRole('alert')).toHaveCount(0);
  });

  await test.step('Start without a teacher says what it needs and starts nothing', async () => {
    await train.startButton().click();
    await expect(train.newRun().getByRole('alert')).toHaveText(TEACHER_NEEDED);
    await expect(train.startButton()).toBeDisabled();
    await expect(train.setting('Teacher model folder')).toBeFocused();
    expect(await runCount()).toBe(0);
  });

  const missing = path.join(workDir, 'no-such-teacher');
  await test.step('a folder that does not exist: the core says so, and starts nothing', async () => {
    await train.setting('Teacher model folder').fill(missing);
    await expect(train.newRun().getByRole('alert')).toHaveCount(0);
    await train.startButton().click();
    await expect(train.startError()).toHaveText(`The teacher folder ${missing} does not exist: choose a folder with a TF.js layers image model.`);
    expect(await runCount()).toBe(0);
  });

  await test.step('other methods ignore the teacher', async () => {
    await train.method('Supervised').check();
    await expect(train.setting('Teacher model folder')).toHaveCount(0);
    await expect(train.startButton()).toBeEnabled();
  });

  await test.step('pretraining offers SVT, the default, and the contrast; the run keeps the choice', async () => {
    const objective = train.newRun().getByRole('combobox', { name: 'Pretraining objective' });
    await expect(objective).toHaveValue('svt');
    await objective.selectOption('contrast');
    await train.startRun('Supervised', { ...TINY, 'Self-supervised pretraining (epochs)': '1' });
    await expect
      .poll(async () => (await callApi<RunDto[]>(page.request, vssl, 'runs:list', {})).map((r) => [r.settings?.pretrainEpochs, r.settings?.pretrainObjective]))
      .toEqual([[1, 'contrast']]);
  });
  expect(app.pageErrors).toEqual([]);
});

test('cancel a run after its first epoch and resume it from the checkpoint', async ({ app, vssl, labelProject }) => {
  test.setTimeout(120_000);
  const page = app.page;
  const train = new TrainPage(page);
  await labelWalkAndRun(page.request, vssl, labelProject.videoId);
  await app.goTo('Train');
  await train.waitForOptions();
  await train.startRun('FixMatch', { ...TINY, Epochs: '200' });
  const detail = train.detailOf(1);
  const epochs = detail.getByTestId('run-epochs');

  await test.step('cancel once an epoch is checkpointed', async () => {
    await expect(epochs).toHaveText(/^[1-9]\d* \/ 200$/, { timeout: 60_000 });
    await detail.getByRole('button', { name: 'Cancel', exact: true }).click();
    await train.waitForStatus(1, 'Cancelled', 30_000);
    await expect(detail.getByRole('button', { name: 'Resume', exact: true })).toBeVisible();
  });

  const stoppedAt = Number((await epochs.textContent())?.split('/')[0]);
  await test.step(`resume goes on after epoch ${stoppedAt}`, async () => {
    await detail.getByRole('button', { name: 'Resume', exact: true }).click();
    await train.waitForStatus(1, 'Running', 30_000);
    await expect
      .poll(async () => Number((await epochs.textContent())?.split('/')[0]), { timeout: 60_000 })
      .toBeGreaterThan(stoppedAt);
    await expect(train.chart('chart-accuracy')).toHaveAttribute('data-points', /^[1-9]\d*$/);
    await detail.getByRole('button', { name: 'Cancel', exact: true }).click();
    await train.waitForStatus(1, 'Cancelled', 30_000);
  });
  expect(app.pageErrors).toEqual([]);
});
