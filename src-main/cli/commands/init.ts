import path from 'node:path';
import type { Command } from '../command.js';
import { withCore } from '../open-core.js';
import { printJson, printLine } from '../output.js';
import { expectPositionals, parseCommandArgs } from '../usage.js';

export const initCommand: Command = {
  name: 'init',
  summary: 'create a project in DIR',
  help: `Usage: vssl init DIR [--name NAME] [--json]

Creates a VSSL project in DIR (the folder is created if needed): project.vssl and cache/.
  --name NAME   the project's display name (default: the folder's name)
  --json        print the project as JSON`,
  async run(args) {
    const { values, positionals } = parseCommandArgs('init', args, { name: { type: 'string' } });
    if (values.help) {
      printLine(this.help);
      return 0;
    }
    expectPositionals('init', positionals, 1, 1, 'the project folder DIR');
    const dir = path.resolve(positionals[0]!);
    const name = typeof values.name === 'string' ? values.name : undefined;
    const info = await withCore('cli', (core) => core.call('project:create', { path: dir, name }));
    if (values.json) printJson(info);
    else printLine(`Created project "${info.name}" in ${info.path}`);
    return 0;
  },
};
