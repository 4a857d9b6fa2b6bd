import path from 'node:path';
import { openProjectToRead, withCore } from '../open-core.js';
import { printJson, printLine } from '../output.js';
import { expectPositionals, parseCommandArgs, UsageError } from '../usage.js';
import { anomalyRunFor, anomalyRunIdOf } from './anomaly-runs.js';
import { exportFormatOf } from './export-format.js';

export const MODEL_HELP = `Usage: vssl anomaly model export DIR --out OUT [--run ID] [--format tfjs|onnx] [--json]

Writes the trained model of anomaly run ID (default: the newest run with a model) in the project
DIR to the folder OUT with metadata.json (tube size, channels, scoring steps, metrics, app version,
date). --format tfjs (default): the TF.js layers files. --format onnx: model.onnx, standard ONNX
(opset 17) taking region tubes [batch, 7, S, S, C] float 0..1 and giving every head (arrow of
time, irregularity, middle frame, teacher features) and the app's per-region scores
(p_backward, p_irregular, middle_frame_mae), and a README.md on running it with onnxruntime.
  --json   {dir, format, files}`;

export async function runAnomalyModel(args: string[]): Promise<number> {
  const command = 'anomaly model export';
  const { values, positionals } = parseCommandArgs(command, args, { run: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' } });
  if (values.help) {
    printLine(MODEL_HELP);
    return 0;
  }
  const [verb, ...rest] = positionals;
  if (verb !== 'export') {
    throw new UsageError(verb === undefined ? 'anomaly model: missing "export" (see "vssl anomaly model --help").' : `anomaly model: unknown action ${JSON.stringify(verb)}.`);
  }
  expectPositionals(command, rest, 1, 1, 'the project folder DIR');
  if (typeof values.out !== 'string') throw new UsageError(`${command}: --out OUT is required.`);
  const format = exportFormatOf(values.format, command);
  const runId = anomalyRunIdOf(values.run, command);
  const out = path.resolve(values.out);
  const report = await withCore('cli', async (core) => {
    await openProjectToRead(core, rest[0] as string);
    const run = await anomalyRunFor(core, runId, 'model');
    return { runId: run.id, ...(await core.call('anomaly:model:export', { runId: run.id, dir: out, format })) };
  });
  if (values.json) printJson(report);
  else printLine(`Exported the model of anomaly run ${report.runId} as ${report.format} to ${report.dir} (${report.files.join(', ')}).`);
  return 0;
}
