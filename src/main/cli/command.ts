export interface GlobalOptions {
  home: string;
  json: boolean;
  /** The command line being run (without global flags), recorded in the home's lock while it owns the home. */
  commandLine?: string;
}

/** A command's outcome: the object printed (as JSON with --json) and its plain-words form. */
export interface CommandResult {
  /** null: the command already said all it had to (e.g. `serve`, which prints its address). */
  value: object | null;
  text: string;
  /** Non-zero when the command ran but found a problem (a failed check, a failed job). */
  exitCode?: number;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  run(args: string[], globals: GlobalOptions): Promise<CommandResult>;
}
