/**
 * The platform's published meta-schemas (@apify/json_schemas) and the validators compiled from them ahead of time
 * (validatorCatalogue.ts). We never retype them: every structural verdict comes from these, and our own rules only
 * add wording, ranges and warnings.
 */
import type { ValidateFunction } from 'ajv';
import * as published from '@apify/json_schemas';
import type { BundleName, JsonSchemaObject } from './validatorCatalogue';

export { inputDefinitions, inputMetaSchema, type JsonSchemaObject } from './validatorCatalogue';

export type MetaSchemaKind = 'actor' | 'dataset' | 'keyValueStore' | 'output';

export const actorMetaSchema = published.actorSchema as unknown as JsonSchemaObject;
export const datasetMetaSchema = published.datasetSchema as unknown as JsonSchemaObject;
export const keyValueStoreMetaSchema = published.keyValueStoreSchema as unknown as JsonSchemaObject;
export const outputMetaSchema = published.outputSchema as unknown as JsonSchemaObject;

type CompiledBundle = Record<string, ValidateFunction>;

/**
 * Each bundle is its own file (out/src/validator/compiled/ after tsc, dist/compiled/ after esbuild), required on
 * first use: literal paths, so that scripts/build.mjs can keep them out of the bundle that requires them.
 */
const BUNDLE_LOADERS: Record<BundleName, () => CompiledBundle> = {
  actor: () => require('./compiled/actor.js'),
  dataset: () => require('./compiled/dataset.js'),
  keyValueStore: () => require('./compiled/keyValueStore.js'),
  output: () => require('./compiled/output.js'),
  input: () => require('./compiled/input.js'),
  inputVerdict: () => require('./compiled/inputVerdict.js'),
};

const loaded = new Map<BundleName, CompiledBundle>();

/** A validator of the catalogue: `key` in `bundle` (validatorCatalogue.ts). */
export function compiledValidator(bundle: BundleName, key: string): ValidateFunction {
  let validators = loaded.get(bundle);
  if (!validators) loaded.set(bundle, (validators = BUNDLE_LOADERS[bundle]()));
  const validate = validators[key];
  if (!validate) throw new Error(`no compiled validator ${key} in ${bundle}: run npm run build`);
  return validate;
}

/** All errors at once, for diagnostics. */
export function metaSchemaValidator(kind: MetaSchemaKind): ValidateFunction {
  return compiledValidator(kind, kind);
}

/** Stops at the first error: used where only the verdict matters (the whole input schema, a safety net). */
export function inputSchemaVerdict(): ValidateFunction {
  return compiledValidator('inputVerdict', 'inputVerdict');
}
