import { parseArgs } from 'node:util';
import { CliCommand, CliIo, EXIT_USAGE, UsageError } from './command';
import { commands } from './commands';

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: greenroom <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `greenroom <command> --help` for the options of a command. Commands on an Actor take --workspace DIR:',
    "the folder whose Actors it sees (default: the Actor's git repository, else the folder above the Actor).",
  ].join('\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage() + '\n');
    return name ? 0 : EXIT_USAGE;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(`greenroom: unknown command "${name}"\n\n${usage()}\n`);
    return EXIT_USAGE;
  }
  const command = entry.load();
  try {
    const parsed = parseArgs({
      args: joinNegativeValues(rest, command.options),
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.values.help) {
      io.stdout.write(command.usage + '\n');
      return 0;
    }
    return await command.run(parsed, io);
  } catch (error) {
    // parseArgs reports unknown or malformed options with a TypeError carrying an ERR_PARSE_ARGS_* code.
    const isParseError = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (error instanceof UsageError || isParseError) {
      if (command.usageErrorsAsJson?.(rest)) {
        io.stdout.write(JSON.stringify({ error: { code: 'usage', message: (error as Error).message } }, null, 2) + '\n');
      } else {
        io.stderr.write(`greenroom ${name}: ${(error as Error).message}\n\n${command.usage}\n`);
      }
      return EXIT_USAGE;
    }
    throw error;
  }
}

/**
 * `--timeout -1` as `--timeout=-1`: parseArgs takes a value starting with a dash for an option (and refuses it as
 * "ambiguous"), so a negative number would never reach the command's own check, which says what is allowed.
 */
function joinNegativeValues(args: string[], options: CliCommand['options']): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') return [...joined, ...args.slice(i)];
    const name = args[i].startsWith('--') ? args[i].slice(2) : undefined;
    if (name && options[name]?.type === 'string' && /^-\d/.test(args[i + 1] ?? '')) joined.push(`${args[i]}=${args[++i]}`);
    else joined.push(args[i]);
  }
  return joined;
}

/** `greenroom` as a process: arguments from argv, the exit code into process.exitCode (called by bin.ts). */
export function runAsProcess(): void {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`greenroom: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
