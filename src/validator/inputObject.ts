/** Input objects (what a run receives), checked the way the platform checks them before every run. */
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import type * as InputSchemaPackage from '@apify/input_schema';
import { isPlainObject, JsonPath } from './json';
import { Codes } from './codes';
import { describeType } from './messages';
import { Report, Site } from './report';

export interface InputProblem {
  /** Dotted field key, e.g. `proxy` or `startUrls.0`; empty for the input as a whole. */
  field: string;
  message: string;
}

/**
 * Input schemas carry non-standard keywords (editor, sectionCaption…), so the compiler must not be strict. It skips
 * checking the schema against JSON Schema's own meta-schema (~40 ms to compile): the platform's input meta-schema,
 * which every input schema passes first, is stricter. Ajv and @apify/input_schema load on the first input checked,
 * so validating definitions alone loads neither.
 */
let inputAjv: Ajv | undefined;
const createInputAjv = (): Ajv => new (require('ajv').default as typeof Ajv)({ allErrors: true, strict: false, validateFormats: false, validateSchema: false, logger: false });
const compiledByText = new Map<string, ValidateFunction>();
const MAX_CACHED_SCHEMAS = 20;

function compileInputSchema(inputSchema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(inputSchema);
  let validate = compiledByText.get(key);
  if (!validate) {
    validate = (inputAjv ??= createInputAjv()).compile({ ...inputSchema, $schema: undefined, $id: undefined });
    if (compiledByText.size >= MAX_CACHED_SCHEMAS) compiledByText.delete(compiledByText.keys().next().value as string);
    compiledByText.set(key, validate);
  }
  return validate;
}

export function validateInput(inputSchema: unknown, input: unknown): InputProblem[] {
  if (!isPlainObject(inputSchema) || !isPlainObject(inputSchema.properties)) {
    return [{ field: '', message: 'The input schema is not valid, so the input cannot be checked against it.' }];
  }
  if (!isPlainObject(input)) return [{ field: '', message: `The input must be a JSON object, not ${describeType(input)}.` }];
  try {
    const validate = compileInputSchema(inputSchema);
    const { validateInputUsingValidator } = require('@apify/input_schema') as typeof InputSchemaPackage;
    return validateInputUsingValidator(validate, inputSchema, input).map(({ fieldKey, message }) => ({ field: fieldKey, message }));
  } catch (error) {
    return [{ field: '', message: `The input could not be checked: ${error instanceof Error ? error.message : String(error)}` }];
  }
}

export function applyInputDefaults(inputSchema: unknown, input: object): Record<string, unknown> {
  const completed: Record<string, unknown> = { ...input };
  if (!isPlainObject(inputSchema) || !isPlainObject(inputSchema.properties)) return completed;
  for (const [key, field] of Object.entries(inputSchema.properties)) {
    if (isPlainObject(field) && field.default !== undefined && completed[key] === undefined) completed[key] = field.default;
  }
  return completed;
}

/** Diagnostics for a local INPUT.json, with defaults applied first (as the platform does for a run). */
export function checkInputObject(site: Site, report: Report, input: unknown, inputSchema: unknown): void {
  const completed = isPlainObject(input) ? applyInputDefaults(inputSchema, input) : input;
  for (const problem of validateInput(inputSchema, completed)) {
    const path: JsonPath = problem.field ? problem.field.split('.') : [];
    const code = /is required/.test(problem.message) ? Codes.input.missingRequired : Codes.input.invalidValue;
    report.error(site, path, code, problem.message.replace(/^Field input\./, 'Field '), { part: path.length ? 'value' : 'key' });
  }
}
