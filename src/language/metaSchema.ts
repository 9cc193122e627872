import { actorSchema, datasetSchema, inputSchema, keyValueStoreSchema, outputSchema } from '@apify/json_schemas';

/**
 * What the platform's published meta-schemas allow, flattened for completion: the keys an object may hold and
 * the values an `enum` offers. Reading them from @apify/json_schemas keeps completion in step with the validator.
 */
type SchemaNode = Record<string, unknown>;

const FIELD_DEFINITIONS_BY_TYPE: Record<string, string[]> = {
  string: ['stringProperty', 'stringEnumProperty', 'resourceProperty'],
  array: ['arrayProperty', 'resourceArrayProperty'],
  object: ['objectProperty'],
  integer: ['integerProperty'],
  number: ['numberProperty'],
  boolean: ['booleanProperty'],
};

export const FIELD_TYPES = Object.keys(FIELD_DEFINITIONS_BY_TYPE);

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every `properties` entry of a schema node, following the branches that add keys (if/then/else/allOf/oneOf/anyOf). */
function collectProperties(node: unknown, into = new Map<string, SchemaNode[]>()): Map<string, SchemaNode[]> {
  if (!isNode(node)) return into;
  if (isNode(node.properties)) {
    for (const [key, value] of Object.entries(node.properties)) {
      if (isNode(value)) into.set(key, [...(into.get(key) ?? []), value]);
    }
  }
  for (const branch of ['then', 'else']) collectProperties(node[branch], into);
  for (const list of ['allOf', 'oneOf', 'anyOf']) {
    const branches = node[list];
    if (Array.isArray(branches)) branches.forEach((b) => collectProperties(b, into));
  }
  return into;
}

function enumValues(nodes: SchemaNode[] | undefined): unknown[] {
  const values = new Set<unknown>();
  for (const node of nodes ?? []) {
    if (Array.isArray(node.enum)) node.enum.forEach((v) => values.add(v));
    if ('const' in node) values.add(node.const);
    if (isNode(node.items) && Array.isArray(node.items.enum)) node.items.enum.forEach((v) => values.add(v));
  }
  return [...values];
}

const definitions = (inputSchema as { definitions: Record<string, SchemaNode> }).definitions;

function fieldProperties(type: string | undefined): Map<string, SchemaNode[]> {
  const names = type && FIELD_DEFINITIONS_BY_TYPE[type] ? FIELD_DEFINITIONS_BY_TYPE[type] : Object.values(FIELD_DEFINITIONS_BY_TYPE).flat();
  const merged = new Map<string, SchemaNode[]>();
  for (const name of names) {
    for (const [key, nodes] of collectProperties(definitions[name])) merged.set(key, [...(merged.get(key) ?? []), ...nodes]);
  }
  return merged;
}

/** Keys an input-schema field of the given type may hold (all keys of all types when the type is unknown). */
export function inputFieldKeys(type: string | undefined): string[] {
  return [...fieldProperties(type).keys()];
}

/** Values the meta-schema allows for a key of an input-schema field, e.g. the editors of a string field. */
export function inputFieldKeyValues(type: string | undefined, key: string): unknown[] {
  return enumValues(fieldProperties(type).get(key));
}

export function inputRootKeys(): string[] {
  return Object.keys((inputSchema as { properties: object }).properties);
}

/** The published meta-schemas of the definition files other than the input schema. */
const META_SCHEMAS = { actor: actorSchema, dataset: datasetSchema, output: outputSchema, keyValueStore: keyValueStoreSchema };
export type MetaSchemaKind = keyof typeof META_SCHEMAS;

/** Keys allowed at a JSON path of one of the non-input definition files. */
export function keysAt(kind: MetaSchemaKind, path: (string | number)[]): string[] {
  const node = nodeAt(META_SCHEMAS[kind] as SchemaNode, path);
  return node ? [...collectProperties(node).keys()] : [];
}

/** Values an `enum`/`const` allows at a JSON path of one of the non-input definition files. */
export function valuesAt(kind: MetaSchemaKind, path: (string | number)[]): unknown[] {
  const node = nodeAt(META_SCHEMAS[kind] as SchemaNode, path);
  return node ? enumValues([node]) : [];
}

/** Walks a meta-schema along an instance path, following `$ref`s within the same document. */
function nodeAt(root: SchemaNode, path: (string | number)[]): SchemaNode | undefined {
  const resolve = (node: SchemaNode | undefined): SchemaNode | undefined => {
    for (let hops = 0; node && typeof node.$ref === 'string' && node.$ref.startsWith('#/') && hops < 10; hops++) {
      node = node.$ref
        .slice(2)
        .split('/')
        .reduce<unknown>((at, part) => (isNode(at) ? at[part] : undefined), root) as SchemaNode | undefined;
    }
    return node;
  };
  let node = resolve(root);
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number') {
      node = resolve(isNode(node.items) ? node.items : undefined);
      continue;
    }
    const properties = collectProperties(node);
    const direct = properties.get(segment)?.[0];
    const viaPattern = isNode(node.patternProperties) ? Object.values(node.patternProperties)[0] : undefined;
    const viaAdditional = isNode(node.additionalProperties) ? node.additionalProperties : undefined;
    node = resolve((direct ?? viaPattern ?? viaAdditional) as SchemaNode | undefined);
  }
  return node;
}
