/**
 * The platform's published meta-schemas (@apify/json_schemas), compiled once per process, lazily. We never retype
 * them: every structural verdict comes from these, and our own rules only add wording, ranges and warnings.
 */
import Ajv2019 from 'ajv/dist/2019';
import type { ValidateFunction } from 'ajv';
import * as published from '@apify/json_schemas';
import draft07MetaSchema from 'ajv/dist/refs/json-schema-draft-07.json';

export type MetaSchemaKind = 'actor' | 'dataset' | 'input' | 'keyValueStore' | 'output';

const SCHEMA_IDS: Record<MetaSchemaKind, string> = {
  actor: String(published.actorSchema.$id),
  dataset: String(published.datasetSchema.$id),
  input: String(published.inputSchema.$id),
  keyValueStore: String(published.keyValueStoreSchema.$id),
  output: String(published.outputSchema.$id),
};

export type JsonSchemaObject = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const inputMetaSchema = published.inputSchema as unknown as JsonSchemaObject;
export const inputDefinitions = inputMetaSchema.definitions as Record<string, JsonSchemaObject>;
export const actorMetaSchema = published.actorSchema as unknown as JsonSchemaObject;
export const datasetMetaSchema = published.datasetSchema as unknown as JsonSchemaObject;
export const keyValueStoreMetaSchema = published.keyValueStoreSchema as unknown as JsonSchemaObject;
export const outputMetaSchema = published.outputSchema as unknown as JsonSchemaObject;

/**
 * Same options as the package's own instance (draft 2019, union types). Formats are not validated: the package's
 * instance has no format definitions, so `format` never decides its verdict either.
 */
function createAjv(allErrors: boolean): Ajv2019 {
  return new Ajv2019({
    allErrors,
    strict: false,
    allowUnionTypes: true,
    validateFormats: false,
    logger: false,
    schemas: [
      published.actorSchema,
      published.datasetSchema,
      published.inputSchema,
      published.keyValueStoreSchema,
      published.outputSchema,
      draft07MetaSchema,
    ],
  });
}

let allErrorsAjv: Ajv2019 | undefined;
let firstErrorAjv: Ajv2019 | undefined;

/** All errors at once, for diagnostics. */
function reportingAjv(): Ajv2019 {
  return (allErrorsAjv ??= createAjv(true));
}

/** Stops at the first error: used where only the verdict matters (the whole input schema, a safety net). */
function verdictAjv(): Ajv2019 {
  return (firstErrorAjv ??= createAjv(false));
}

export function metaSchemaValidator(kind: MetaSchemaKind): ValidateFunction {
  const validate = reportingAjv().getSchema(SCHEMA_IDS[kind]);
  if (!validate) throw new Error(`meta-schema ${kind} is not registered`);
  return validate;
}

export function inputSchemaVerdict(): ValidateFunction {
  const validate = verdictAjv().getSchema(SCHEMA_IDS.input);
  if (!validate) throw new Error('input meta-schema is not registered');
  return validate;
}

const compiledByKey = new Map<string, ValidateFunction>();

/** Compiles an ad-hoc schema derived from the published ones, once per key. */
export function derivedValidator(key: string, build: () => JsonSchemaObject): ValidateFunction {
  let validate = compiledByKey.get(key);
  if (!validate) {
    validate = reportingAjv().compile(build());
    compiledByKey.set(key, validate);
  }
  return validate;
}
