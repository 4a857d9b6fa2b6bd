import type { Core } from '../../core/core.js';
import type { RunDto } from '../../shared/run-dto.js';
import type { Command } from '../command.js';
import { openProject, withCore } from '../open-core.js';
import { printJson, printLine } from '../output.js';
import { runJobToEnd } from '../run-to-end.js';
import { expectPositionals, parseCommandArgs, UsageError } from '../usage.js';
import { runSummary } from './train.js';

export function runIdOf(value: unknown, command: string): number | undefined {
  if (value === undefined) return undefined;
  const id = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(id) || id <= 0) {
    throw new UsageError(`${command}: --run takes a run id, not ${JSON.stringify(value)}.`);
  }
  return id;
}

async function predict(core: Core, dir: string, runId: number | undefined, mcPasses: number | undefined): Promise<RunDto> {
  await openProject(core, dir);
  const id = runId ?? (await core.call('runs:list', {})).find((r) => r.hasModel)?.id;
  if (id === undefined) throw new Error('no run in this project has a trained model yet: run "vssl train" first.');
  const run = await core.call('predict:start', { runId: id, ...(mcPasses !== undefined ? { mcPasses } : {}) });
  if (run.jobId === null) throw new Error(`prediction with run ${id} did not start.`);
  const job = await runJobToEnd(core, run.jobId, 'prediction');
  if (job.state !== 'succeeded') throw new Error(`prediction ${job.state}: ${job.error ?? 'no reason given'}`);
  return core.call('runs:get', { id });
}

export const predictCommand: Command = {
  name: 'predict',
  summary: "predict every clip with a run's model",
  help: `Usage: vssl predict DIR [--run ID] [--mc-passes N] [--json]

Predicts every clip of the project in DIR with the model of run ID (default: the newest run
with a model), replacing that run's earlier predictions: probabilities, confidence, margin,
entropy and, with MC-dropout passes, the uncertainty (std of the predicted class).
  --mc-passes N   MC-dropout passes (default: the run's setting, 10); 0 for none
  --json          print the run summary as JSON`,
  async run(args) {
    const { values, positionals } = parseCommandArgs('predict', args, {
      run: { type: 'string' },
      'mc-passes': { type: 'string' },
    });
    if (values.help) {
      printLine(this.help);
      return 0;
    }
    expectPositionals('predict', positionals, 1, 1, 'the project folder DIR');
    const raw = values['mc-passes'];
    const mcPasses = raw === undefined ? undefined : Number(raw);
    if (mcPasses !== undefined && (!Number.isInteger(mcPasses) || mcPasses < 0 || mcPasses > 100)) {
      throw new UsageError(`predict: --mc-passes must be a whole number from 0 to 100, not ${JSON.stringify(raw)}.`);
    }
    const run = await withCore('cli', (core) =>
      predict(core, positionals[0] as string, runIdOf(values.run, 'predict'), mcPasses),
    );
    if (values.json) printJson(runSummary(run));
    else printLine(`Predicted ${run.predictions} clips with run ${run.id} (${run.method}).`);
    return 0;
  },
};
