import * as fs from 'node:fs';
import * as path from 'node:path';
import { ActorValidator, diskFileSource } from '../../validator';
import type { Diagnostic, WarningLevel } from '../../validator/types';
import { isActorRoot } from '../../workspace/actorRoots';
import { CliCommand, EXIT_FAILURE, EXIT_OK, UsageError } from '../command';

const FORMATS = ['text', 'json'] as const;
const WARNING_LEVELS: WarningLevel[] = ['all', 'likelyMistakes', 'none'];

export const validateCommand: CliCommand = {
  usage: [
    'Usage: greenroom validate [actorDir] [--format text|json] [--warnings all|likelyMistakes|none]',
    '',
    'Exit code: 0 when there are no errors, 1 when there are errors, 2 on a usage error or unreadable input.',
    'JSON output: {"diagnostics":[{"file","range":{"start":{"line","character"},"end":{...}},"severity","code","message"}]}',
    'with 0-based lines and characters and paths relative to actorDir.',
  ].join('\n'),
  options: {
    format: { type: 'string', default: 'text' },
    warnings: { type: 'string', default: 'all' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new UsageError(`expected at most one actorDir, got ${positionals.length}`);
    const format = values.format as (typeof FORMATS)[number];
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
    const warnings = values.warnings as WarningLevel;
    if (!WARNING_LEVELS.includes(warnings)) throw new UsageError(`--warnings must be one of ${WARNING_LEVELS.join(', ')}, not "${warnings}"`);

    const actorDir = path.resolve(io.cwd, positionals[0] ?? '.');
    if (!fs.existsSync(actorDir) || !fs.statSync(actorDir).isDirectory()) throw new UsageError(`${actorDir} is not a folder`);
    if (!isActorRoot(actorDir)) throw new UsageError(`${actorDir} holds no .actor/actor.json (nor a legacy apify.json)`);

    const { diagnostics } = new ActorValidator(diskFileSource).validateActor(actorDir, { warnings });
    const relative = (file: string) => path.relative(actorDir, file).split(path.sep).join('/');
    if (format === 'json') {
      const out = diagnostics.map(({ file, range, severity, code, message }) => ({ file: relative(file), range, severity, code, message }));
      io.stdout.write(JSON.stringify({ diagnostics: out }, null, 2) + '\n');
    } else {
      io.stdout.write(formatText(diagnostics, relative));
    }
    return diagnostics.some((d) => d.severity === 'error') ? EXIT_FAILURE : EXIT_OK;
  },
};

/** One `file:line:column: severity message [code]` line per problem (1-based, as compilers print), then a summary. */
function formatText(diagnostics: Diagnostic[], relative: (file: string) => string): string {
  const sorted = [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  const lines = sorted.map(
    (d) => `${relative(d.file)}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.message} [${d.code}]`,
  );
  const count = (severity: string) => diagnostics.filter((d) => d.severity === severity).length;
  const errors = count('error');
  const warnings = count('warning');
  lines.push(
    errors || warnings
      ? `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`
      : 'No problems found.',
  );
  return lines.join('\n') + '\n';
}
