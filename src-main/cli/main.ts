import { appVersion } from '../core/app-version.js';
import type { Command } from './command.js';
import { anomalyCommand } from './commands/anomaly.js';
import { datasetCommand } from './commands/dataset.js';
import { importCommand } from './commands/import.js';
import { initCommand } from './commands/init.js';
import { labelsCommand } from './commands/labels.js';
import { modelCommand } from './commands/model.js';
import { predictCommand } from './commands/predict.js';
import { predictionsCommand } from './commands/predictions.js';
import { reviewCommand } from './commands/review.js';
import { trainCommand } from './commands/train.js';
import { runsCommand } from './commands/runs.js';
import { serveCommand } from './commands/serve.js';
import { videosCommand } from './commands/videos.js';
import { MAIN_HELP, UsageError } from './usage.js';

const COMMANDS: readonly Command[] = [
  initCommand,
  importCommand,
  videosCommand,
  labelsCommand,
  trainCommand,
  runsCommand,
  predictCommand,
  predictionsCommand,
  reviewCommand,
  anomalyCommand,
  modelCommand,
  datasetCommand,
  serveCommand,
];

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

/** Runs `vssl` with the given arguments and resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined) throw new UsageError('no command given (try "vssl --help").');
    if (first === '--help' || first === '-h' || first === 'help') {
      process.stdout.write(`${MAIN_HELP}\n`);
      return 0;
    }
    if (first === '--version' || first === '-v') {
      process.stdout.write(`${appVersion()}\n`);
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === first);
    if (!command) throw new UsageError(`unknown command ${JSON.stringify(first)} (try "vssl --help").`);
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`vssl: ${oneLine(err.message)}\n`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`vssl: ${oneLine(message)}\n`);
    if (process.env.VSSL_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
