import type { Core } from '../../core/core.js';
import type { RunDto } from '../../shared/run-dto.js';
import type { RunEvaluationDto } from '../../shared/run-evaluation.js';
import { isTrainingMethod, methodInfo, totalEpochsOf, trainingMethods } from '../../shared/training.js';
import { describeStop, stopsOnPlateau } from '../../shared/training-budget.js';
import type { Command } from '../command.js';
import { openProject, withCore } from '../open-core.js';
import { printJson, printLine } from '../output.js';
import { runJobToEnd } from '../run-to-end.js';
import { evaluationText } from './evaluation-table.js';
import { settingsFromFlags, TRAIN_FLAGS } from '../train-options.js';
import { expectPositionals, parseCommandArgs, UsageError } from '../usage.js';

const METHODS_HELP = trainingMethods.map((m) => `  ${m.padEnd(12)} ${methodInfo[m].summary}`).join('\n');

function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : `${(value * 100).toFixed(1)}%`;
}

export function runSummary(run: RunDto) {
  return {
    runId: run.id,
    name: run.name,
    method: run.method,
    status: run.status,
    error: run.error,
    backend: run.backend,
    backendReason: run.backendReason,
    epochs: run.epochsDone,
    dataset: run.dataset,
    classes: run.classes.map((c) => c.name),
    metrics: run.last,
    bestValidationAccuracy: run.bestValidationAccuracy,
    stop: run.stop,
    predictions: run.predictions,
  };
}

export function printRun(run: RunDto): void {
  // train/resume print runs they started: always trained ones.
  const total = run.settings ? totalEpochsOf(run.settings) : run.epochsDone;
  const atMost = run.settings !== null && stopsOnPlateau(run.settings) ? 'at most ' : '';
  printLine(`Run ${run.id} (${run.method ?? run.origin}) ${run.status} after ${run.epochsDone} of ${atMost}${total} epochs.`);
  if (run.error) printLine(`  error: ${run.error}`);
  if (run.backend) printLine(`  backend: ${run.backend} (${run.backendReason ?? ''})`);
  printLine(
    `  clips: ${run.dataset.train} to train, ${run.dataset.validation} to validate, ${run.dataset.unlabelled} unlabelled`,
  );
  const last = run.last;
  if (last) {
    printLine(
      `  last epoch: loss ${last.loss.toFixed(4)}, train accuracy ${percent(last.trainAccuracy)}, ` +
        `validation accuracy ${percent(last.validationAccuracy)}, mask rate ${percent(last.maskRate)}, ` +
        `${last.clipsPerSecond.toFixed(1)} clips/s`,
    );
  }
  printLine(`  best validation accuracy: ${percent(run.bestValidationAccuracy)}; ${run.predictions} clips predicted`);
}

/** Why the run stopped, the last line `train` and `runs show` print ("Stopped at epoch 34: …"). */
export function printStop(run: RunDto): void {
  if (run.stop) printLine(describeStop(run.stop, run.settings));
}

async function train(core: Core, dir: string, values: Record<string, unknown>): Promise<{ run: RunDto; evaluation: RunEvaluationDto }> {
  await openProject(core, dir);
  let run: RunDto;
  if (typeof values['next-round'] === 'string') {
    run = await core.call('review:retrain', nextRoundParams(values));
  } else if (typeof values.resume === 'string') {
    const runId = Number(values.resume);
    if (!Number.isInteger(runId) || runId <= 0) throw new UsageError(`train: --resume takes a run id, not ${JSON.stringify(values.resume)}.`);
    run = await core.call('train:resume', { runId });
  } else {
    const { defaults } = await core.call('train:options', {});
    const settings = settingsFromFlags(values, defaults);
    run = await core.call('train:start', {
      settings,
      ...(typeof values.name === 'string' ? { name: values.name } : {}),
    });
  }
  if (run.jobId === null) throw new Error(`run ${run.id} did not start.`);
  await runJobToEnd(core, run.jobId, 'training');
  const finished = await core.call('runs:get', { id: run.id });
  return { run: finished, evaluation: await core.call('runs:evaluation', { id: run.id }) };
}

/** Flags a next round takes; its other settings are its parent's. */
const NEXT_ROUND_FLAGS = new Set(['next-round', 'fresh-weights', 'method', 'name', 'json', 'help']);

function nextRoundParams(values: Record<string, unknown>) {
  const runId = Number(values['next-round']);
  if (!Number.isInteger(runId) || runId <= 0) throw new UsageError(`train: --next-round takes a run id, not ${JSON.stringify(values['next-round'])}.`);
  const other = Object.keys(values).filter((key) => values[key] !== undefined && !NEXT_ROUND_FLAGS.has(key));
  if (other.length > 0) {
    throw new UsageError(`train: --next-round trains with run ${runId}'s settings; only --method, --name and --fresh-weights go with it, not --${other.join(', --')}.`);
  }
  const method = values.method;
  if (method !== undefined && (typeof method !== 'string' || !isTrainingMethod(method))) {
    throw new UsageError(`train: unknown method ${JSON.stringify(method)} (one of ${trainingMethods.join(', ')}).`);
  }
  return {
    runId,
    ...(typeof values.name === 'string' ? { name: values.name } : {}),
    ...(typeof method === 'string' && isTrainingMethod(method) ? { method } : {}),
    ...(values['fresh-weights'] === true ? { warmStart: false } : { warmStart: true }),
  };
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a video classifier on the labelled and unlabelled clips',
  help: `Usage: vssl train DIR --method M [--epochs N | --until-plateau [--patience P] [--max-epochs M]] [--frames T] [--size S] [--seed N]
                  [--no-flip] [options] [--json]
       vssl train DIR --resume RUN [--json]
       vssl train DIR --next-round RUN [--method M] [--fresh-weights] [--name NAME] [--json]

Trains a classifier on the project in DIR: labelled clips (a share held out to validate) and,
for the semi-supervised methods, every unlabelled clip. An epoch is one pass over the
unlabelled clips. By default it trains until it stops improving: once the EMA model's validation
accuracy (without a validation split: the mask rate) has not improved for --patience epochs, it
stops and keeps the weights of its best epoch; the run says why it stopped. When training ends every clip is predicted (class, confidence, MC-dropout
uncertainty). Prints the run id, the final metrics, and the final model's confusion matrix
and per-class precision, recall and F1 on the validation split (see "vssl runs show").
Ctrl+C cancels; the run keeps its last checkpoint and "--resume RUN" continues it.
"--next-round RUN" trains the next round of the review loop after run RUN: its method (or
--method M) and settings, every label there is now, starting from RUN's trained weights
(--fresh-weights: from random ones).

Methods (--method M):
${METHODS_HELP}

Options (defaults from the published methods; see the Train view):
  --epochs N        train exactly N epochs instead of until it stops improving
  --until-plateau   train until it stops improving (the default), with:
    --patience P    epochs without improvement before it stops (10)
    --min-improvement X  least rise of the watched metric that counts, a share (0.001)
    --min-epochs N  epochs before it may stop (30)   --max-epochs M  the ceiling (200), which
                    the learning-rate schedule spans
  --frames T        frames per clip (8; 16 with a GPU backend)
  --size S          side in pixels (64; 112 with a GPU backend)
  --fps F           sample frames at F fps from the clip start (default: spread over the clip)
  --seed N          seed for the split, shuffling and augmentation (0)
  --no-flip         no horizontal flips: use when classes depend on direction (swipe
                    left/right); the project remembers the choice
  --batch-size B    labelled clips per step (8)   --mu M  unlabelled per labelled (7)
  --lr X            learning rate (0.03)          --threshold X  confidence for a pseudo-label (0.95)
  --lambda-u X      weight of the unlabelled loss (1)
  --architecture A  r2plus1d or frame2d (r2plus1d)  --width N (16)  --depth N (3)  --dropout X (0.3)
  --validation X    share of labelled clips held out (0.2)
  --mc-passes N     MC-dropout passes when predicting (10)
  --threads N       CPU cores each step is split across without a GPU (0: all, the default)
  --max-step-memory MIB  most memory one step's tensors may take; a larger step runs as micro-batches
                    whose gradients add up (0: what the backend allows, the default)
  --ups-rounds N    UPS: trainings in all, each of --epochs epochs (3, 20 each); UPS always
                    trains its rounds for a fixed number of epochs
  --ups-tau-p X  --ups-kappa-p X   UPS positives: MC-dropout mean and std bounds (0.7, 0.05)
  --ups-tau-n X  --ups-kappa-n X   UPS "surely not" labels: mean and std bounds (0.05, 0.005)
  --tcl-warmup X    TCL: share of training on labelled clips alone first (0.1)
  --tcl-finetune X  TCL: share of training at the end on confident pseudo-labels (0: none)
  --teacher DIR     VideoSSL (required): the image teacher, a folder with a TF.js model.json
  --distill-weight X  VideoSSL: weight λd of distilling the teacher (1)
  --distribution-alignment  FixMatch, FlexMatch, FreeMatch: rescale the weak predictions towards the
                    labelled clips' class mix before thresholding (off)
  --freematch-momentum X  FreeMatch: momentum λ of its running confidence and class means (0.999)
  --fairness-weight X  FreeMatch: weight w_f of its fairness term (0.01)
  --pretrain-epochs N  self-supervised epochs on all clips, labels unused, before any method (0)
  --pretrain-objective svt|contrast  what pretraining learns: svt (student matches an EMA teacher across
                       views of different extent, no negatives) or contrast (double-speed NT-Xent) (svt)
  --name NAME       a name for the run
  --json            print the result as JSON`,
  async run(args) {
    const { values, positionals } = parseCommandArgs('train', args, TRAIN_FLAGS);
    if (values.help) {
      printLine(this.help);
      return 0;
    }
    expectPositionals('train', positionals, 1, 1, 'the project folder DIR');
    const { run, evaluation } = await withCore('cli', (core) => train(core, positionals[0] as string, values));
    if (values.json) printJson({ ...runSummary(run), evaluation });
    else {
      printRun(run);
      if (run.status === 'succeeded') printLine(evaluationText(evaluation));
      printStop(run);
    }
    if (run.status === 'cancelled') throw new Error(`run ${run.id} was cancelled (resume it with --resume ${run.id}).`);
    if (run.status !== 'succeeded') throw new Error(`run ${run.id} ${run.status}: ${run.error ?? 'no reason given'}`);
    return 0;
  },
};
