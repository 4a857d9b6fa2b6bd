import type { Core } from '../../core/core.js';
import { ANOMALY_SETTINGS_DEFAULTS, type AnomalyRunDto } from '../../shared/anomaly.js';
import { openProject, withCore } from '../open-core.js';
import { printJson, printLine } from '../output.js';
import { runJobToEnd } from '../run-to-end.js';
import { expectPositionals, parseCommandArgs, UsageError } from '../usage.js';
import { footageFor } from './anomaly-footage.js';
import { ANOMALY_TRAIN_FLAGS, anomalySettingsFromFlags, expandNormalPaths } from './anomaly-train-options.js';

const D = ANOMALY_SETTINGS_DEFAULTS;

export const TRAIN_HELP = `Usage: vssl anomaly train DIR [--normal PATH...] [--epochs N] [--size S] [--seed N]
                          [options] [--json]
       vssl anomaly train DIR --resume RUN [--json]

Trains an anomaly detector (SSMTL: arrow of time, motion irregularity and middle-frame
prediction, learnt jointly on moving objects) on the footage of the project in DIR that is
marked normal. --normal marks each PATH normal as a whole video first (importing it when the
project does not hold it); without it, the normal marks already in the project are used.
Waits for the run (a progress bar on a terminal; Ctrl+C cancels, "--resume RUN" continues from
the last checkpoint), then prints the run id and the last epoch's metrics. Exit code 1 when
the run fails, with the reason.

Options (defaults from SSMTL; see the Anomaly view):
  --normal PATH...   video files that show only normal activity (repeat --normal or list them)
  --epochs N         epochs to train (${D.epochs})
  --size S           a region's tube is S×S pixels, a multiple of 2^depth (${D.size})
  --seed N           seed for sampling and initialisation (${D.seed})
  --batch-size B     source tubes per step (${D.batchSize})     --lr X  learning rate (${D.learningRate})
  --channels 1|3     grey or colour (${D.channels})             --width N  encoder width (${D.width})
  --depth N          encoder blocks (${D.depth})
  --max-tubes N      training tubes kept, sampled evenly from the footage (${D.maxTubes})
  --sample-fps F     frames a second the model sees: every k-th decoded frame is kept,
                     k = round(fps / F), so windows span the same time at any camera rate;
                     scoring with the run samples the same way (${D.sampleFps}; 0 = every frame)
  --window-stride-seconds S  seconds between neighbouring training windows (${D.windowStrideSeconds})
  --window-stride N  the same in video frames; wins over --window-stride-seconds
  --long-side N      frames are decoded with the longer side at most N pixels (${D.longSide})
  --threads N        CPU cores each step is split across without a GPU (0: all, the default)
  --still-boxes      every tube keeps its object's middle-frame box (default: tubes follow the object)
  --teacher DIR      a TF.js image model (a folder with model.json) to distil into a fourth
                     head (none)
  --name NAME        a name for the run
  --json             {runId, name, status, error, backend, epochs, settings, normal, tubes,
                     metrics, imported}`;

export function anomalyRunSummary(run: AnomalyRunDto, imported: string[] = []) {
  return {
    runId: run.id,
    name: run.name,
    status: run.status,
    error: run.error,
    backend: run.backend,
    backendReason: run.backendReason,
    epochs: run.epochsDone,
    settings: run.settings,
    normal: run.normal,
    tubes: run.tubes,
    metrics: run.last,
    hasModel: run.hasModel,
    imported,
  };
}

function printRun(run: AnomalyRunDto): void {
  printLine(`Anomaly run ${run.id} ${run.status} after ${run.epochsDone} of ${run.settings.epochs} epochs.`);
  if (run.error) printLine(`  error: ${run.error}`);
  if (run.backend) printLine(`  backend: ${run.backend} (${run.backendReason ?? ''})`);
  const n = run.normal;
  printLine(`  normal footage: ${n.frames} frames in ${n.intervals} intervals of ${n.videos} videos`);
  const t = run.tubes;
  if (t) {
    printLine(
      `  training tubes: ${t.kept} kept of ${t.seen}; windows with moving regions ${t.motionWindows}, grid fallback ${t.gridWindows}`,
    );
  }
  const last = run.last;
  if (last) {
    printLine(
      `  last epoch: loss ${last.loss.toFixed(4)} (middle frame ${last.middleFrameLoss.toFixed(4)}, ` +
        `arrow of time ${last.arrowLoss.toFixed(4)}, irregularity ${last.irregularLoss.toFixed(4)}` +
        `${typeof last.teacherLoss === 'number' ? `, teacher ${last.teacherLoss.toFixed(4)}` : ''}), ` +
        `arrow accuracy ${(last.arrowAccuracy * 100).toFixed(1)}%, irregularity accuracy ` +
        `${(last.irregularAccuracy * 100).toFixed(1)}%, ${last.tubesPerSecond.toFixed(1)} tubes/s`,
    );
  }
}

async function train(core: Core, dir: string, values: Record<string, unknown>, normalPaths: string[]) {
  await openProject(core, dir);
  let run: AnomalyRunDto;
  let imported: string[] = [];
  if (typeof values.resume === 'string') {
    const runId = Number(values.resume);
    if (!Number.isInteger(runId) || runId <= 0) {
      throw new UsageError(`anomaly train: --resume takes a run id, not ${JSON.stringify(values.resume)}.`);
    }
    run = await core.call('anomaly:resume', { runId });
  } else {
    const { defaults } = await core.call('anomaly:options', {});
    const settings = anomalySettingsFromFlags(values, defaults);
    const footage = normalPaths.length > 0 ? await footageFor(core, normalPaths) : null;
    imported = footage?.imported ?? [];
    run = await core.call('anomaly:train', {
      settings,
      ...(typeof values.name === 'string' ? { name: values.name } : {}),
      ...(footage ? { normalVideoIds: footage.videos.map((v) => v.id) } : {}),
    });
  }
  if (run.jobId === null) throw new Error(`anomaly run ${run.id} did not start.`);
  await runJobToEnd(core, run.jobId, 'anomaly training');
  return { run: await core.call('anomaly:run', { id: run.id }), imported };
}

export async function runAnomalyTrain(args: string[]): Promise<number> {
  const command = 'anomaly train';
  const { values, positionals } = parseCommandArgs(command, expandNormalPaths(args), ANOMALY_TRAIN_FLAGS);
  if (values.help) {
    printLine(TRAIN_HELP);
    return 0;
  }
  expectPositionals(command, positionals, 1, 1, 'the project folder DIR');
  const normalPaths = values.normal ?? [];
  if (typeof values.resume === 'string' && normalPaths.length > 0) {
    throw new UsageError(`${command}: --resume continues a run on its own footage; leave out --normal.`);
  }
  const { run, imported } = await withCore('cli', (core) => train(core, positionals[0] as string, values, normalPaths));
  if (values.json) printJson(anomalyRunSummary(run, imported));
  else printRun(run);
  if (run.status === 'cancelled') throw new Error(`anomaly run ${run.id} was cancelled (resume it with --resume ${run.id}).`);
  if (run.status !== 'succeeded') throw new Error(`anomaly run ${run.id} ${run.status}: ${run.error ?? 'no reason given'}`);
  return 0;
}
