/** Diagnostics as text, the way compilers print them (`greenroom validate`, failed builds). */
import * as path from 'node:path';
import type { Diagnostic } from './types';

/** A diagnostic's file as shown to people: relative to `base`, with `/`. */
export function relativeFile(base: string, file: string): string {
  return path.relative(base, file).split(path.sep).join('/');
}

/** `file:line:column: severity message [code]`: 1-based line and column, the file relative to `base`. */
export function formatDiagnostic(diagnostic: Diagnostic, base: string): string {
  const { line, character } = diagnostic.range.start;
  return `${relativeFile(base, diagnostic.file)}:${line + 1}:${character + 1}: ${diagnostic.severity} ${diagnostic.message} [${diagnostic.code}]`;
}
