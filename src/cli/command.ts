import type { Writable } from 'node:stream';
import type { ParseArgsConfig } from 'node:util';

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Thrown for bad arguments or unreadable input: printed without a stack trace, exit code 2. */
export class UsageError extends Error {}

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  cwd: string;
}

/** One `greenroom <name>` sub-command; each lives in its own file under commands/ (name and summary: commands/index.ts). */
export interface CliCommand {
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: { values: Record<string, unknown>; positionals: string[] }, io: CliIo): Promise<number>;
  /** Whether these arguments ask for JSON output, so that a usage error is printed as JSON on stdout too. */
  usageErrorsAsJson?(args: string[]): boolean;
}
