import * as path from 'node:path';
import type { FileSource } from '../validator/types';
import { DefinitionDocument, DefinitionPlace, definitionKindAt, JsonPath } from './documentContext';
import { DISPLAY_FORMATS, EDITOR_DOCS, FIELD_TYPE_DOCS, KEY_DOCS, OUTPUT_TEMPLATE_VARIABLES } from './keyDocs';
import { FIELD_TYPES, inputFieldKeys, inputFieldKeyValues, inputRootKeys, keysAt, valuesAt } from './metaSchema';

export interface CompletionEntry {
  label: string;
  kind: 'property' | 'value' | 'file' | 'variable';
  /** Text that replaces the offsets `replace.start`..`replace.end` of the document. */
  insertText: string;
  replace: { start: number; end: number };
  detail?: string;
  documentation?: string;
}

/** actor.json keys whose string value is a path relative to `.actor/`, with the file names worth offering. */
export const ACTOR_PATH_KEYS: Record<string, RegExp> = {
  input: /\.json$/i,
  inputSchema: /\.json$/i,
  output: /\.json$/i,
  outputSchema: /\.json$/i,
  webServerSchema: /\.(json|ya?ml)$/i,
  dockerfile: /dockerfile/i,
  readme: /\.md$/i,
  changelog: /\.md$/i,
  dockerContextDir: /^/,
};

/** Completion of keys and values in an Actor definition file at `offset`. */
export function complete(doc: DefinitionDocument, offset: number, source: FileSource): CompletionEntry[] {
  const location = doc.locationAt(offset);
  const literal = doc.literalAt(offset);
  const replace = literal ? { start: literal.offset, end: literal.offset + literal.length } : { start: offset, end: offset };

  if (location.isAtPropertyKey) {
    const objectPath = location.path.slice(0, -1);
    const place = definitionKindAt(doc.role, objectPath);
    if (!place) return [];
    const present = new Set(Object.keys((doc.valueAt(objectPath) as object | undefined) ?? {}));
    const docs = KEY_DOCS[place.kind];
    return keysFor(doc, place)
      .filter((key) => !present.has(key) || key === location.path[location.path.length - 1])
      .map((key) => ({
        label: key,
        kind: 'property' as const,
        insertText: literal ? JSON.stringify(key) : `${JSON.stringify(key)}: `,
        replace,
        documentation: docs[key],
      }));
  }

  const place = definitionKindAt(doc.role, location.path);
  if (!place) return [];
  const values = valuesFor(doc, place, source);
  return values.map(({ value, kind, detail, documentation }) => ({
    label: typeof value === 'string' ? value : JSON.stringify(value),
    kind,
    insertText: JSON.stringify(value),
    replace,
    detail,
    documentation,
  }));
}

function keysFor(doc: DefinitionDocument, place: DefinitionPlace): string[] {
  const { kind, path: inner, base } = place;
  switch (kind) {
    case 'input':
      return inner.length === 0 ? inputRootKeys() : [];
    case 'inputField': {
      if (inner.length > 0) return inner[0] === 'errorMessage' ? ERROR_MESSAGE_KEYS : [];
      const type = doc.valueAt([...base, 'type']);
      return inputFieldKeys(typeof type === 'string' ? type : undefined);
    }
    case 'datasetView':
      return datasetViewKeys(doc, base, inner);
    case 'actor':
    case 'dataset':
    case 'output':
    case 'keyValueStore':
      return keysAt(kind, inner);
  }
}

const ERROR_MESSAGE_KEYS = ['type', 'pattern', 'minLength', 'maxLength', 'enum', 'minimum', 'maximum', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties'];

function datasetViewKeys(doc: DefinitionDocument, viewBase: JsonPath, inner: JsonPath): string[] {
  if (inner.length === 0) return ['title', 'description', 'transformation', 'display'];
  if (inner[0] === 'transformation' && inner.length === 1) return ['fields', 'omit', 'unwind', 'flatten', 'clean', 'desc', 'skipHidden', 'skipEmpty', 'limit'];
  if (inner[0] === 'display' && inner.length === 1) return ['component', 'properties'];
  if (inner[0] === 'display' && inner[1] === 'properties' && inner.length === 2) {
    const fields = doc.valueAt([...viewBase, 'transformation', 'fields']);
    return Array.isArray(fields) ? fields.filter((f): f is string => typeof f === 'string') : itemFieldNames(doc, viewBase);
  }
  if (inner[0] === 'display' && inner[1] === 'properties' && inner.length === 3) return ['label', 'format'];
  return [];
}

/** Top-level item fields declared by the dataset schema that holds the view at `viewBase` (`.../views/<id>`). */
function itemFieldNames(doc: DefinitionDocument, viewBase: JsonPath): string[] {
  const properties = doc.valueAt([...viewBase.slice(0, -2), 'fields', 'properties']);
  return properties && typeof properties === 'object' ? Object.keys(properties) : [];
}

interface ValueOffer {
  value: unknown;
  kind: CompletionEntry['kind'];
  detail?: string;
  documentation?: string;
}

function valuesFor(doc: DefinitionDocument, place: DefinitionPlace, source: FileSource): ValueOffer[] {
  const { kind, path: inner, base } = place;
  const plain = (values: unknown[], detail?: string): ValueOffer[] => values.map((value) => ({ value, kind: 'value', detail }));
  const key = inner.filter((segment) => typeof segment === 'string').pop();
  switch (kind) {
    case 'actor':
      if (inner.length === 1 && typeof key === 'string' && key in ACTOR_PATH_KEYS) return filesFor(doc.filePath, key, source);
      if (key === 'actorSpecification') return plain([1]);
      if (key === 'buildTag') return plain(['latest', 'beta']);
      return plain(valuesAt('actor', inner));
    case 'input':
      if (inner[0] === 'required' && inner.length === 2) return plain(Object.keys((doc.valueAt([...base, 'properties']) as object) ?? {}), 'field');
      if (key === 'schemaVersion') return plain([1]);
      if (key === 'type' && inner.length === 1) return plain(['object']);
      return [];
    case 'inputField':
      return inputFieldValues(doc, base, inner);
    case 'datasetView':
      if (inner[0] === 'display' && key === 'component') return plain(['table', 'grid']);
      if (inner[0] === 'display' && key === 'format') return plain([...DISPLAY_FORMATS], 'display format');
      if (inner[0] === 'transformation' && inner.length === 3) return plain(itemFieldNames(doc, base), 'item field');
      return [];
    case 'output':
      if (key === 'template') {
        return Object.entries(OUTPUT_TEMPLATE_VARIABLES).map(([variable, documentation]) => ({
          value: `{{${variable}}}`,
          kind: 'variable',
          documentation,
        }));
      }
      if (key === 'type') return plain(['string']);
      return plain(valuesAt(kind, inner));
    case 'dataset':
    case 'keyValueStore':
      return plain(valuesAt(kind, inner));
  }
}

function inputFieldValues(doc: DefinitionDocument, base: JsonPath, inner: JsonPath): ValueOffer[] {
  const field = (doc.valueAt(base) ?? {}) as Record<string, unknown>;
  const type = typeof field.type === 'string' ? field.type : undefined;
  const [key] = inner;
  if (key === 'type' && inner.length === 1) return FIELD_TYPES.map((value) => ({ value, kind: 'value', documentation: FIELD_TYPE_DOCS[value] }));
  if ((key === 'default' || key === 'prefill' || key === 'example') && Array.isArray(field.enum)) {
    return field.enum.map((value) => ({ value, kind: 'value', detail: 'enum value' }));
  }
  if (typeof key !== 'string') return [];
  return inputFieldKeyValues(type, key).map((value) => ({
    value,
    kind: 'value',
    detail: key === 'editor' && type ? `editor for ${type}` : undefined,
    documentation: key === 'editor' ? EDITOR_DOCS[String(value)] : undefined,
  }));
}

/** Files next to actor.json and in the Actor root, as paths relative to `.actor/`. */
function filesFor(actorJsonPath: string, key: string, source: FileSource): ValueOffer[] {
  const actorDir = path.dirname(actorJsonPath);
  const wantsDirectory = key === 'dockerContextDir';
  const offers: ValueOffer[] = [];
  for (const [dir, prefix] of [[actorDir, './'], [path.dirname(actorDir), '../']] as const) {
    for (const name of source.listDirectory(dir)) {
      if (name === 'node_modules' || name === '.git') continue;
      const isDirectory = source.isDirectory(path.join(dir, name));
      if (wantsDirectory ? isDirectory : !isDirectory && ACTOR_PATH_KEYS[key].test(name)) {
        offers.push({ value: `${prefix}${name}`, kind: 'file' });
      }
    }
  }
  if (wantsDirectory) offers.unshift({ value: '..', kind: 'file', detail: 'the Actor root' });
  return offers;
}
