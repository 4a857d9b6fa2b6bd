import type { Core } from '../../core/core.js';
import type { RunDto } from '../../shared/run-dto.js';
import { totalEpochsOf } from '../../shared/training.js';
import type { Command } from '../command.js';
import { openProjectToRead, withCore } from '../open-core.js';
import { formatTable, printJson, printLine } from '../output.js';
import { expectPositionals, parseCommandArgs, UsageError } from '../usage.js';
import { evaluationText, score } from './evaluation-table.js';
import { printRun, printStop, runSummary } from './train.js';

const HELP = `Usage: vssl runs list DIR [--json]
       vssl runs show DIR ID [--json]

list   the classification runs of the project in DIR, newest first: id, name, method, status,
       epochs, validation accuracy and macro F1 of the final model
show   one run: its settings' outcome, then the final model's confusion matrix on the
       validation split (rows: true class, columns: predicted) and precision, recall, F1
       and support per class, with macro and weighted averages; "—" marks a score that is
       undefined (a class with no validation clip, or none predicted as it)
  --json   list: [run summary]; show: the run summary with "evaluation": {computed, classes,
           matrix, perClass: [{classId, name, precision, recall, f1, support, predicted}],
           macro, weighted, accuracy, total} (null where undefined), or {computed: false, reason}`;

function runIdOf(text: string): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id <= 0) throw new UsageError(`runs show: the run id is a whole number, not ${JSON.stringify(text)}.`);
  return id;
}

async function list(core: Core, json: boolean): Promise<void> {
  const runs = await core.call('runs:list', {});
  const evaluations = await Promise.all(runs.map((r) => core.call('runs:evaluation', { id: r.id })));
  if (json) {
    printJson(runs.map((run, i) => ({ ...runSummary(run), evaluation: evaluations[i] })));
    return;
  }
  if (runs.length === 0) {
    printLine('No training runs yet: train one with "vssl train".');
    return;
  }
  const rows = runs.map((r: RunDto, i) => {
    const e = evaluations[i];
    const computed = e?.computed === true && e.total > 0 ? e : null;
    return [
      String(r.id),
      r.name,
      r.method ?? r.origin,
      r.status,
      r.settings ? `${r.epochsDone}/${totalEpochsOf(r.settings)}` : '—',
      score(computed?.accuracy ?? null),
      score(computed?.macro.f1 ?? null),
    ];
  });
  printLine(formatTable(['id', 'name', 'method', 'status', 'epochs', 'val accuracy', 'macro F1'], rows, new Set([0, 5, 6])));
}

async function show(core: Core, runId: number, json: boolean): Promise<void> {
  const run = await core.call('runs:get', { id: runId });
  const evaluation = await core.call('runs:evaluation', { id: runId });
  if (json) {
    printJson({ ...runSummary(run), evaluation });
    return;
  }
  printRun(run);
  printLine();
  printLine(evaluationText(evaluation));
  printStop(run);
}

export const runsCommand: Command = {
  name: 'runs',
  summary: "list classification runs, or show one with its confusion matrix and per-class scores",
  help: HELP,
  async run(args) {
    const { values, positionals } = parseCommandArgs('runs', args, {});
    if (values.help) {
      printLine(this.help);
      return 0;
    }
    const [verb, ...rest] = positionals;
    if (verb === 'list') {
      expectPositionals('runs list', rest, 1, 1, 'the project folder DIR');
    } else if (verb === 'show') {
      expectPositionals('runs show', rest, 2, 2, 'the project folder DIR and the run ID');
    } else {
      throw new UsageError(verb === undefined ? 'runs: missing "list" or "show" (see "vssl runs --help").' : `runs: unknown action ${JSON.stringify(verb)}.`);
    }
    const [dir, id] = rest as [string, string | undefined];
    const runId = id === undefined ? undefined : runIdOf(id);
    await withCore('cli', async (core) => {
      await openProjectToRead(core, dir);
      if (runId === undefined) await list(core, values.json === true);
      else await show(core, runId, values.json === true);
    });
    return 0;
  },
};
