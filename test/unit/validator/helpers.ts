/** Shared test helpers: an in-memory FileSource, the official verdicts, and diagnostic lookups. */
import * as path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import * as published from '@apify/json_schemas';
import { validateInputSchema } from '@apify/input_schema';
import { Diagnostic, FileSource, validateDocument, SchemaRole } from '../../../src/validator';

/** Files keyed by absolute path; folders are implied by the paths. */
export function memorySource(files: Record<string, string>): FileSource {
  const isFolder = (folder: string) => Object.keys(files).some((file) => file.startsWith(`${folder}${path.sep}`));
  return {
    readFile: (file) => files[file],
    exists: (file) => file in files || isFolder(file),
    isDirectory: (file) => isFolder(file),
    listDirectory: (folder) => [...new Set(Object.keys(files).filter((file) => file.startsWith(`${folder}${path.sep}`)).map((file) => file.slice(folder.length + 1).split(path.sep)[0]))],
  };
}

const officialValidators = {
  dataset: published.getDatasetSchemaValidator(),
  output: published.getOutputSchemaValidator(),
  keyValueStore: published.getKeyValueStoreSchemaValidator(),
  actor: published.getActorSchemaValidator(),
};

/**
 * validateInputSchema recompiles each field definition on every call (~100 ms); sharing an instance saves the
 * meta-schema compile, and recycling it bounds the memory its schema cache keeps.
 */
let officialAjv: Ajv2019 | undefined;
let officialAjvUses = 0;
function officialInputAjv(): Ajv2019 {
  if (!officialAjv || ++officialAjvUses > 100) {
    officialAjv = new Ajv2019({ strict: false });
    officialAjvUses = 0;
  }
  return officialAjv;
}

/** The platform's verdict on a definition file's text: true, or why it is rejected. */
export function officialVerdict(role: SchemaRole | 'actor', text: string): true | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return String(error);
  }
  if (role === 'input') {
    try {
      validateInputSchema(officialInputAjv(), value as Record<string, unknown>);
      return true;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
  if (role === 'webServer') return typeof value === 'object' && value !== null && !Array.isArray(value) && 'openapi' in value ? true : 'no openapi';
  const validate = officialValidators[role];
  return validate(value) ? true : JSON.stringify(validate.errors?.[0]);
}

export function errorsOf(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
}

export function validateText(role: SchemaRole, value: unknown, warnings: 'all' | 'none' = 'all'): Diagnostic[] {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return validateDocument('/actor/.actor/schema.json', text, role, { warnings });
}

/** Asserts our verdict equals the platform's; returns a description of the mismatch, or undefined. */
export function parityMismatch(role: SchemaRole, text: string): string | undefined {
  const official = officialVerdict(role, text);
  const errors = errorsOf(validateDocument('/actor/.actor/schema.json', text, role, { warnings: 'none' }));
  if ((official === true) === (errors.length === 0)) return undefined;
  return `official: ${official === true ? 'accepts' : `rejects (${official})`}; ours: ${errors.length} errors ${JSON.stringify(errors.map((e) => `${e.code}: ${e.message}`))}\n${text}`;
}

export function find(diagnostics: Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.find((diagnostic) => diagnostic.code === code);
  if (!found) throw new Error(`no ${code} in ${JSON.stringify(diagnostics.map((d) => `${d.code}: ${d.message}`), null, 1)}`);
  return found;
}
