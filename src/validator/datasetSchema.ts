/** Dataset schema: the published meta-schema, plus warnings about views that cannot show what they name. */
import { Codes } from './codes';
import { isPlainObject } from './json';
import { closestSpellings, listAnd, quote, suggestSpelling } from './messages';
import { datasetMetaSchema } from './metaSchemas';
import { Report, Site } from './report';
import { checkMetaSchema } from './schemaErrors';


/** JSON Schema keywords that describe items: at the root of a dataset schema they belong under "fields". */
const ITEM_SCHEMA_KEYWORDS = ['type', 'properties', 'required', 'items', 'additionalProperties', 'patternProperties', 'definitions', '$defs'];

export function checkDatasetSchema(site: Site, report: Report, schema: unknown): void {
  const misplaced = isPlainObject(schema) && !('fields' in schema) ? ITEM_SCHEMA_KEYWORDS.filter((key) => key in schema) : [];
  checkMetaSchema('dataset', schema, {
    site, report, codes: Codes.datasetSchema, data: schema,
    knownKeys: (objectPath) => (objectPath.length === 0 ? Object.keys(datasetMetaSchema.properties) : []),
    phrase: (error, path) => {
      if (misplaced.length && path.length === 0 && (error.keyword === 'anyOf' || error.keyword === 'additionalProperties')) {
        // One error for the item schema written at the root, on its first keyword, instead of one per keyword.
        const key = error.keyword === 'anyOf' ? misplaced[0] : String(error.params.additionalProperty);
        if (key !== misplaced[0] && misplaced.includes(key)) return null;
        if (key === misplaced[0]) {
          return { path: [key], part: 'key', code: Codes.datasetSchema.plainJsonSchema,
            message: `This looks like a plain JSON Schema of the items (${listAnd(misplaced)} at the top level). A dataset schema holds it under "fields": {"actorSpecification": 1, "fields": {…your JSON Schema…}, "views": {…}}.` };
        }
      }
      if (path.length === 0 && error.keyword === 'anyOf') {
        return { path, part: 'value', code: Codes.datasetSchema.missingProperty, message: 'A dataset schema needs "actorSpecification": 1 and at least one of "fields" or "views".' };
      }
      if (path.length === 2 && path[0] === 'views' && error.keyword === 'anyOf') {
        return { path, part: 'key', code: Codes.datasetSchema.incompleteView, message: `View ${quote(path[1])} needs a "title" and a "transformation" or "display".` };
      }
      return undefined;
    },
  });
  if (isPlainObject(schema)) checkViews(site, report, schema);
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

type PropertySchemas = Map<string, unknown>;

/**
 * The keys an item has once the view's `unwind` (an array's elements, or an object, merged into the item) and
 * `flatten` (`field.sub` keys) have run, as "fields" describes them, in the platform's order (unwind → flatten →
 * fields). Undefined when "fields" does not describe what an unwind merges in: then nothing can be said.
 */
export function keysAfterTransformation(properties: Record<string, unknown>, unwind: readonly string[], flatten: readonly string[]): string[] | undefined {
  const schemas: PropertySchemas = new Map(Object.entries(properties));
  for (const field of unwind) {
    const merged = mergedProperties(schemas.get(field));
    if (!merged) return undefined;
    for (const [key, schema] of Object.entries(merged)) schemas.set(key, schema);
  }
  const keys = [...schemas.keys()];
  for (const field of flatten) {
    const schema = schemas.get(field);
    if (isPlainObject(schema) && isPlainObject(schema.properties)) keys.push(...Object.keys(schema.properties).map((key) => `${field}.${key}`));
  }
  return keys;
}

/** What unwinding a field of this schema merges into the item: its elements' properties, or its own. */
function mergedProperties(schema: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(schema)) return undefined;
  if (isPlainObject(schema.items) && isPlainObject(schema.items.properties)) return schema.items.properties;
  return isPlainObject(schema.properties) ? schema.properties : undefined;
}

function checkViews(site: Site, report: Report, schema: Record<string, unknown>): void {
  if (!isPlainObject(schema.views)) return;
  const fieldProperties = isPlainObject(schema.fields) && isPlainObject(schema.fields.properties) ? schema.fields.properties : undefined;
  for (const [viewId, view] of Object.entries(schema.views)) {
    if (!isPlainObject(view)) continue;
    const transformation = isPlainObject(view.transformation) ? view.transformation : {};
    const selected = stringList(transformation.fields);
    const unwound = stringList(transformation.unwind) ?? [];
    const flattened = stringList(transformation.flatten) ?? [];
    const known = fieldProperties && !('*' in fieldProperties) ? keysAfterTransformation(fieldProperties, unwound, flattened) : undefined;
    if (selected && known) {
      selected.forEach((name, index) => {
        if (known.includes(name) || known.includes(name.split('.')[0])) return;
        report.warning(site, ['views', viewId, 'transformation', 'fields', index], Codes.datasetSchema.unknownTransformationField,
          `View ${quote(viewId)} selects ${quote(name)}, which ${describeItems(unwound, flattened)}. ${keyAdvice(name, known)}`);
      });
    }
    const display = isPlainObject(view.display) && isPlainObject(view.display.properties) ? view.display.properties : undefined;
    if (!display || !selected) continue;
    for (const property of Object.keys(display)) {
      const produced = selected.includes(property) || flattened.some((flat) => property.startsWith(`${flat}.`) && selected.includes(flat));
      if (!produced) {
        report.warning(site, ['views', viewId, 'display', 'properties', property], Codes.datasetSchema.displayPropertyNotProduced,
          `View ${quote(viewId)} displays ${quote(property)}, but its transformation does not produce it (add it to "transformation.fields"${property.includes('.') ? ' and flatten its parent' : ''}).`, { part: 'key' });
      }
    }
  }
}

function describeItems(unwound: readonly string[], flattened: readonly string[]): string {
  const steps = [unwound.length ? `"unwind" of ${listAnd(unwound)}` : '', flattened.length ? `"flatten" of ${listAnd(flattened)}` : ''].filter(Boolean);
  return steps.length ? `is not a key of the items after the ${steps.join(' and ')} (as "fields" describes them)` : 'is not among the properties in "fields"';
}

function keyAdvice(name: string, known: readonly string[]): string {
  const suggestion = suggestSpelling(name, known);
  if (suggestion) return `Did you mean ${quote(suggestion)}?`;
  const closest = closestSpellings(name, known, 3);
  return `${closest.length ? `The closest keys are ${listAnd(closest)}. ` : ''}Check the spelling or describe the field in "fields".`;
}
