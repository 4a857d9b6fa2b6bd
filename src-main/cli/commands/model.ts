import path from 'node:path';
import { resolveMediaTools } from '../../core/media/media-tools.js';
import { createEngineWorker } from '../../core/engine-worker-script.js';
import { predictWithExportedModel, type StandaloneResult } from '../../core/classify/main/standalone-predict.js';
import type { Command } from '../command.js';
import { openProjectToRead, withCore } from '../open-core.js';
import { formatTable, printJson, printLine } from '../output.js';
import { expectPositionals, parseCommandArgs, UsageError } from '../usage.js';
import { runIdOf } from './predict.js';
import { exportFormatOf } from './export-format.js';

const HELP = `Usage: vssl model export DIR --run ID --out OUT [--format tfjs|onnx] [--json]
       vssl model predict OUT VIDEO... [--window S] [--stride S] [--json]

export   writes the model of run ID in the project DIR to the folder OUT with metadata.json
         (classes in output order, input spec, preprocessing, method, metrics, app version,
         date). --format tfjs (default): a TF.js layers model (model.json + weights) that
         needs the app's three custom layer classes. --format onnx: model.onnx, standard ONNX
         (opset 17) taking clips [batch, T, S, S, 3] float 0..1 and giving the class
         probabilities (no MC-dropout: deterministic), and a README.md on running it in
         Python with onnxruntime.
predict  classifies the clips of videos outside any project with an exported model in OUT,
         cutting each video into windows the way the project did (or --window/--stride
         seconds), decoding them exactly as training did. Prints per clip the label, its
         probability and every class's probability.`;

function seconds(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(n) || n <= 0 || n > 3600) {
    throw new UsageError(`model predict: --${flag} takes seconds above 0, not ${JSON.stringify(value)}.`);
  }
  return n;
}

async function predictVideos(out: string, videos: string[], window?: number, stride?: number): Promise<StandaloneResult> {
  const worker = createEngineWorker();
  try {
    const clipping = window !== undefined ? { windowSec: window, strideSec: stride ?? window } : undefined;
    return await predictWithExportedModel(worker, resolveMediaTools(), path.resolve(out), videos, clipping);
  } finally {
    await worker.terminate();
  }
}

function printPredictions(result: StandaloneResult): void {
  const rows = result.predictions.map((p) => [
    p.path,
    p.start.toFixed(3),
    p.end.toFixed(3),
    p.label,
    p.confidence.toFixed(4),
  ]);
  printLine(formatTable(['path', 'start', 'end', 'label', 'confidence'], rows, new Set([1, 2, 4])));
  for (const failure of result.failed) printLine(`failed: ${failure.path}: ${failure.reason}`);
}

export const modelCommand: Command = {
  name: 'model',
  summary: 'export a trained model, or classify videos with an exported one',
  help: HELP,
  async run(args) {
    const { values, positionals } = parseCommandArgs('model', args, {
      run: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string' },
      window: { type: 'string' },
      stride: { type: 'string' },
    });
    if (values.help) {
      printLine(this.help);
      return 0;
    }
    const [verb, ...rest] = positionals;
    if (verb === 'export') {
      expectPositionals('model export', rest, 1, 1, 'the project folder DIR');
      const runId = runIdOf(values.run, 'model export');
      if (runId === undefined) throw new UsageError('model export: --run ID is required.');
      if (typeof values.out !== 'string') throw new UsageError('model export: --out OUT is required.');
      const out = path.resolve(values.out);
      const format = exportFormatOf(values.format, 'model export');
      const report = await withCore('cli', async (core) => {
        await openProjectToRead(core, rest[0] as string);
        return core.call('models:export', { runId, dir: out, format });
      });
      if (values.json) printJson(report);
      else printLine(`Exported the model of run ${runId} as ${report.format} to ${report.dir} (${report.files.join(', ')}).`);
      return 0;
    }
    if (verb === 'predict') {
      expectPositionals('model predict', rest, 2, Number.POSITIVE_INFINITY, 'the model folder OUT and at least one VIDEO');
      const [out, ...videos] = rest as [string, ...string[]];
      const result = await predictVideos(out, videos, seconds(values.window, 'window'), seconds(values.stride, 'stride'));
      if (values.json) printJson(result);
      else printPredictions(result);
      if (result.predictions.length === 0) throw new Error('no clip could be classified.');
      return 0;
    }
    throw new UsageError(
      verb === undefined ? 'model: missing "export" or "predict" (see "vssl model --help").' : `model: unknown action ${JSON.stringify(verb)}.`,
    );
  },
};
