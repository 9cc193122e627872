/**
 * The run's input: given as an object, read from a file, or the Actor's own INPUT
 * (`storage/key_value_stores/default/INPUT.json`, the `apify run` place). Completed with the input
 * schema's defaults and validated before any container starts (platform behaviour, docs/file-formats.md#input-schema).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonRecordText } from '../storage';
import { applyInputDefaults, validateInput } from '../validator';

export class InvalidInputError extends Error {
  name = 'InvalidInputError';
  constructor(readonly problems: { field: string; message: string }[]) {
    super(`Input is not valid for the Actor's input schema:\n${problems.map((p) => `  - ${p.field ? `${p.field}: ` : ''}${p.message}`).join('\n')}`);
  }
}

/** The input file cannot be read, or is not JSON. */
export class InputFileError extends Error {
  name = 'InputFileError';
}

export type InputSource = { input: unknown } | { inputFile: string } | { actorInputOf: string };

export function readInput(source: InputSource): unknown {
  if ('input' in source) return source.input;
  let file: string;
  let text: string | undefined;
  if ('inputFile' in source) {
    file = source.inputFile;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new InputFileError(`Cannot read input file ${file}: ${readFailure(error)}`);
    }
  } else {
    // A storage record: read through the storage library, which refuses links and files too large to hold.
    const storageDir = join(source.actorInputOf, 'storage');
    file = join(storageDir, 'key_value_stores', 'default', 'INPUT.json');
    try {
      text = readJsonRecordText(storageDir, 'default', 'INPUT');
    } catch (error) {
      throw new InvalidInputError([{ field: '', message: `Cannot read the Actor's input ${file}: ${(error as Error).message}` }]);
    }
    if (text === undefined) return {};
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputFileError(`Input file ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (error as Error).message;
}

/** The input with schema defaults applied; throws InvalidInputError listing every problem. */
export function prepareInput(inputSchema: unknown, input: unknown): Record<string, unknown> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new InvalidInputError([{ field: '', message: 'The input must be a JSON object' }]);
  }
  if (inputSchema === undefined) return input as Record<string, unknown>;
  const completed = applyInputDefaults(inputSchema, input);
  const problems = validateInput(inputSchema, completed);
  if (problems.length) throw new InvalidInputError(problems);
  return completed;
}
