import type { Command } from '../command.js';
import { printLine } from '../output.js';
import { UsageError } from '../usage.js';
import { runAnomalyEval } from './anomaly-eval.js';
import { runAnomalyExport } from './anomaly-export.js';
import { runAnomalyMark } from './anomaly-mark.js';
import { runAnomalyMarks } from './anomaly-marks.js';
import { runAnomalyModel } from './anomaly-model.js';
import { runAnomalyRuns } from './anomaly-runs-list.js';
import { runAnomalyScore } from './anomaly-score.js';
import { runAnomalyTrain } from './anomaly-train.js';

const SUBCOMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  train: runAnomalyTrain,
  score: runAnomalyScore,
  export: runAnomalyExport,
  eval: runAnomalyEval,
  mark: runAnomalyMark,
  marks: runAnomalyMarks,
  runs: runAnomalyRuns,
  model: runAnomalyModel,
};

const HELP = `Usage: vssl anomaly train DIR [--normal PATH...] [--epochs N] [--json]
       vssl anomaly score DIR PATH... [--run ID] [--json]
       vssl anomaly export DIR FILE [--run ID]
       vssl anomaly eval DIR [--truth FILE] [--run ID] [--json]
       vssl anomaly mark DIR PATH --kind anomaly|normal [--from SEC] [--to SEC]
       vssl anomaly marks export DIR FILE [--format csv|json]
       vssl anomaly runs DIR [--json]
       vssl anomaly model export DIR --out OUT [--run ID] [--format tfjs|onnx]

Anomaly detection on footage: "train" learns what normal looks like from footage marked normal
(self-supervised, no labels needed), "score" gives every frame of a video a score (higher is
more unusual) and lists its peaks, "export" writes the scores as CSV path,frame,time,score,x,y,w,h,
"eval" prints frame-level micro and macro AUC against ground truth, "mark" marks an interval
anomalous or normal, "marks export" writes the marks (csv or json), "runs" lists the runs, "model export"
writes the trained model (TF.js or ONNX). See "vssl anomaly SUB --help" for each.`;

export const anomalyCommand: Command = {
  name: 'anomaly',
  summary: 'anomaly detection: train on normal footage, score videos, export, evaluate',
  help: HELP,
  async run(args) {
    const [sub, ...rest] = args;
    const run = sub === undefined ? undefined : SUBCOMMANDS[sub];
    if (run) return run(rest);
    if (sub === '--help' || sub === '-h' || sub === 'help') {
      printLine(HELP);
      return 0;
    }
    const names = Object.keys(SUBCOMMANDS).join(', ');
    throw new UsageError(
      sub === undefined
        ? `anomaly: say one of ${names} (see "vssl anomaly --help").`
        : `anomaly: unknown sub-command ${JSON.stringify(sub)}: say one of ${names} (see "vssl anomaly --help").`,
    );
  },
};
