import type { Command } from '../command.js';
import { printLine } from '../output.js';
import { UsageError } from '../usage.js';
import { runReviewApply } from './review-apply.js';
import { runReviewNext } from './review-next.js';

const HELP = `Usage: vssl review next DIR [--run ID] [--strategy S] [--count N] [--json]
       vssl review apply DIR FILE [--run ID] [--json]

Drives the review of a run's predictions from a script: "next" prints the clips to review
first, "apply" applies a CSV of decisions (accept, correct, reject). See
"vssl review next --help" and "vssl review apply --help".`;

export const reviewCommand: Command = {
  name: 'review',
  summary: "review a run's predictions: the next clips to review, or apply decisions",
  help: HELP,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === 'next') return runReviewNext(rest);
    if (sub === 'apply') return runReviewApply(rest);
    if (sub === '--help' || sub === '-h' || sub === 'help') {
      printLine(HELP);
      return 0;
    }
    throw new UsageError(
      sub === undefined
        ? 'review: say next or apply (see "vssl review --help").'
        : `review: unknown sub-command ${JSON.stringify(sub)}: say next or apply (see "vssl review --help").`,
    );
  },
};
