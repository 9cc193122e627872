import * as fs from 'node:fs';
import * as path from 'node:path';
import { ActorValidator, actorLayout, diskFileSource, formatDiagnostic, relativeFile } from '../../validator';
import type { Diagnostic, WarningLevel } from '../../validator/types';
import { CliCommand, EXIT_FAILURE, EXIT_OK, UsageError } from '../command';

const FORMATS = ['text', 'json'] as const;
const WARNING_LEVELS: WarningLevel[] = ['all', 'likelyMistakes', 'none'];

export const validateCommand: CliCommand = {
  usage: [
    'Usage: greenroom validate [actorDir] [--format text|json] [--warnings all|likelyMistakes|none]',
    '',
    'actorDir holds .actor/actor.json, a legacy apify.json, or only a Dockerfile (and INPUT_SCHEMA.json), as the',
    'platform builds such a folder too.',
    '',
    'Exit code: 0 when there are no errors, 1 when there are errors, 2 on a usage error or unreadable input.',
    'JSON output: {"diagnostics":[{"file","range":{"start":{"line","character"},"end":{...}},"severity","code","message"}]}',
    'with 0-based lines and characters and paths relative to actorDir; a usage error: {"error":{"code":"usage","message"}}.',
  ].join('\n'),
  options: {
    format: { type: 'string', default: 'text' },
    warnings: { type: 'string', default: 'all' },
  },
  usageErrorsAsJson: (args) => args.some((arg, index) => arg === '--format=json' || (arg === '--format' && args[index + 1] === 'json')),
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new UsageError(`expected at most one actorDir, got ${positionals.length}`);
    const format = values.format as (typeof FORMATS)[number];
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
    const warnings = values.warnings as WarningLevel;
    if (!WARNING_LEVELS.includes(warnings)) throw new UsageError(`--warnings must be one of ${WARNING_LEVELS.join(', ')}, not "${warnings}"`);

    const actorDir = path.resolve(io.cwd, positionals[0] ?? '.');
    if (!fs.existsSync(actorDir) || !fs.statSync(actorDir).isDirectory()) throw new UsageError(`${actorDir} is not a folder`);
    if (!actorLayout(actorDir, diskFileSource)) throw new UsageError(`${actorDir} holds no .actor/actor.json, no legacy apify.json and no Dockerfile: it is not an Actor`);

    const { diagnostics } = new ActorValidator(diskFileSource).validateActor(actorDir, { warnings });
    if (format === 'json') {
      const out = diagnostics.map(({ file, range, severity, code, message }) => ({ file: relativeFile(actorDir, file), range, severity, code, message }));
      io.stdout.write(JSON.stringify({ diagnostics: out }, null, 2) + '\n');
    } else {
      io.stdout.write(formatText(diagnostics, actorDir));
    }
    return diagnostics.some((d) => d.severity === 'error') ? EXIT_FAILURE : EXIT_OK;
  },
};

/** One line per problem (formatDiagnostic), then a summary. */
function formatText(diagnostics: Diagnostic[], actorDir: string): string {
  const sorted = [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  const lines = sorted.map((d) => formatDiagnostic(d, actorDir));
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
