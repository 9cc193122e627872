/**
 * Every validator the library runs, as the schema and Ajv options each is compiled from. scripts/compileValidators.mjs
 * compiles this catalogue ahead of time into Ajv standalone code (src/validator/compiled/<bundle>.ts, generated), so
 * no process pays Ajv's compile (~1.6 s for the input meta-schema's definitions); metaSchemas.ts loads one bundle
 * only when a rule first needs one of its validators.
 */
import * as published from '@apify/json_schemas';
import draft07MetaSchema from 'ajv/dist/refs/json-schema-draft-07.json';

export type JsonSchemaObject = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const inputMetaSchema = published.inputSchema as unknown as JsonSchemaObject;
export const inputDefinitions = inputMetaSchema.definitions as Record<string, JsonSchemaObject>;

/**
 * The options of @apify/json_schemas' own instance (draft 2019, union types). Formats are not validated: the
 * package's instance has no format definitions, so `format` never decides its verdict either.
 */
export const AJV_OPTIONS = { strict: false, allowUnionTypes: true, validateFormats: false, logger: false } as const;

/** Every published meta-schema, registered in each Ajv instance so that cross-references resolve. */
export const PUBLISHED_SCHEMAS: readonly JsonSchemaObject[] = [
  published.actorSchema,
  published.datasetSchema,
  published.inputSchema,
  published.keyValueStoreSchema,
  published.outputSchema,
  draft07MetaSchema,
];

export interface CatalogueBundle {
  /** allErrors: every error at once (diagnostics), or stop at the first (a verdict only). */
  allErrors: boolean;
  /** Validator key → the schema it checks against: an object, or a reference into a published schema (`$id#…`). */
  validators: Record<string, JsonSchemaObject | string>;
}

/** The key of the validator of one input field definition (also used for the helper definitions they reference). */
export const inputDefinitionKey = (name: string) => `inputDefinition_${name}`;

/** The official first pass over an input schema: the root without looking into `properties`. */
function basicInputStructure(): JsonSchemaObject {
  const { $id: _ignoredId, ...withoutId } = inputMetaSchema;
  return { ...withoutId, properties: { ...inputMetaSchema.properties, properties: { type: 'object' } } };
}

/** Bundles by the file kind whose rules load them: an Actor without an output schema never loads `output`. */
export const VALIDATOR_CATALOGUE = {
  actor: { allErrors: true, validators: { actor: String(published.actorSchema.$id) } },
  dataset: { allErrors: true, validators: { dataset: String(published.datasetSchema.$id) } },
  keyValueStore: { allErrors: true, validators: { keyValueStore: String(published.keyValueStoreSchema.$id) } },
  output: { allErrors: true, validators: { output: String(published.outputSchema.$id) } },
  input: {
    allErrors: true,
    validators: {
      inputBasic: basicInputStructure(),
      // A fragment of the registered meta-schema: the code of the definitions they share is emitted once, and
      // each reports the same errors (schemaPath included) as `{ ...definition, definitions }` compiled alone.
      ...Object.fromEntries(Object.keys(inputDefinitions).map((name) => [inputDefinitionKey(name), `${inputMetaSchema.$id}#/definitions/${name}`])),
    },
  },
  /** Stops at the first error: the whole input schema as the platform's last step checks it (a safety net). */
  inputVerdict: { allErrors: false, validators: { inputVerdict: String(published.inputSchema.$id) } },
} satisfies Record<string, CatalogueBundle>;

export type BundleName = keyof typeof VALIDATOR_CATALOGUE;
