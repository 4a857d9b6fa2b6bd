import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad command-line usage: reported in one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const MAIN_HELP = `vssl: VSSL Studio on the command line

Usage:
  vssl init DIR [--name NAME]             create a project in DIR
  vssl import DIR PATH... [--no-recursive] import video files or folders into the project in DIR
  vssl videos DIR                         list the project's videos
  vssl labels import DIR FILE --format F  import labels (csv, kinetics, mmaction, activitynet,
                                          labelstudio); see "vssl labels --help"
  vssl labels export DIR FILE --format F  export the project's labels in one of those formats
  vssl train DIR --method M [--epochs N]  train a classifier (supervised, pseudolabel, fixmatch,
                                          flexmatch, freematch, mvpl, ups, tcl); see "vssl train --help"
  vssl runs list DIR                      list the classification runs with accuracy and macro F1
  vssl runs show DIR ID                   a run's confusion matrix and per-class precision, recall,
                                          F1 on its validation split; see "vssl runs --help"
  vssl predict DIR [--run ID]             predict every clip with a run's model
  vssl predictions export DIR FILE --format csv|activitynet
                                          export a run's predictions
  vssl predictions import DIR FILE --format csv|activitynet|labelstudio
                                          import predictions made elsewhere as a run to review
  vssl review next DIR [--strategy S]     the next clips to review (uncertain first); see
                                          "vssl review --help"
  vssl review apply DIR FILE              apply review decisions (csv path,start,end,action,label)
  vssl anomaly train DIR [--normal PATH...]
                                          train an anomaly detector on footage marked normal;
                                          see "vssl anomaly --help"
  vssl anomaly score DIR PATH... [--run ID]
                                          score videos frame by frame and list their peaks
  vssl anomaly export DIR FILE [--run ID] export scores as csv path,frame,time,score,x,y,w,h
  vssl anomaly eval DIR --truth FILE      frame-level micro and macro AUC, AUC-PR and the best-F1
                                          threshold against ground truth
  vssl anomaly model export DIR --out OUT [--run ID] [--format tfjs|onnx]
                                          export the anomaly detector (TF.js or ONNX)
  vssl model export DIR --run ID --out OUT [--format tfjs|onnx]
                                          export a trained model (TF.js or ONNX + metadata.json)
  vssl model predict OUT VIDEO...         classify videos with an exported model
  vssl dataset export DIR OUT --format mmaction|kinetics-folders
                                          cut every labelled clip to its own file, with train/val
                                          lists, classes and an MMAction2 config to train at scale
  vssl serve [DIR] [--port N] [--host H]  web mode: serve the app to a browser

Options for every command:
  --json        machine-readable output on stdout
  -h, --help    show help for a command
  --version     print the version

Exit codes: 0 success, 1 failure, 2 bad usage.`;

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with every parse error turned into a UsageError for `command`. */
export function parseCommandArgs<O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({
      args,
      options: { ...options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    });
  } catch (err) {
    // parseArgs explains at length; its first sentence is the useful part.
    const message = (err instanceof Error ? err.message : String(err)).split(/\.\s|\n/)[0]!.replace(/\.$/, '');
    throw new UsageError(`${command}: ${message} (see "vssl ${command} --help").`);
  }
}

export function expectPositionals(command: string, positionals: string[], min: number, max: number, names: string): void {
  if (positionals.length < min) throw new UsageError(`${command}: missing ${names} (see "vssl ${command} --help").`);
  if (positionals.length > max) {
    throw new UsageError(`${command}: unexpected argument ${JSON.stringify(positionals[max])} (see "vssl ${command} --help").`);
  }
}
