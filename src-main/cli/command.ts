/** One `vssl` sub-command: its help text and what it does with its arguments. */
export interface Command {
  name: string;
  summary: string;
  help: string;
  /** Resolves with the exit code; throws UsageError for bad usage, anything else for failure. */
  run(args: string[]): Promise<number>;
}
