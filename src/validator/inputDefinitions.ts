/**
 * Reading the published input meta-schema's field definitions the way @apify/input_schema does: which definition a
 * field is checked against, which editors it allows, which schema its `items`/`properties` must follow.
 */
import type { ValidateFunction } from 'ajv';
import { isPlainObject } from './json';
import { compiledValidator, inputDefinitions, JsonSchemaObject } from './metaSchemas';
import { inputDefinitionKey } from './validatorCatalogue';

export interface FieldDefinition {
  name: string;
  schema: JsonSchemaObject;
}

/** Top-level field definitions and sub-field ("Sub-schema:") definitions, in the published order. */
const [fieldDefinitions, subFieldDefinitions] = Object.entries(inputDefinitions).reduce<[FieldDefinition[], FieldDefinition[]]>(
  (groups, [name, schema]) => {
    const title = String(schema.title);
    if (title.startsWith('Utils:') || title.startsWith('Component:')) return groups;
    groups[title.startsWith('Sub-schema:') ? 1 : 0].push({ name, schema });
    return groups;
  },
  [[], []],
);

export type DefinitionChoice =
  | { kind: 'definition'; definition: FieldDefinition }
  | { kind: 'noMatchingType' }
  /** The field has `enum` or `resourceType`, which no definition of its type supports. */
  | { kind: 'unsupportedKey'; key: 'enum' | 'resourceType' };

/** Mirrors validateFieldAgainstSchemaDefinition's choice (the last matching definition wins). */
export function chooseDefinition(field: Record<string, unknown>, isSubField: boolean): DefinitionChoice {
  const candidates = (isSubField ? subFieldDefinitions : fieldDefinitions).filter(({ schema }) => {
    const typeEnum = schema.properties.type.enum as unknown[] | undefined;
    return typeEnum ? typeEnum[0] === field.type : Array.isArray(field.type);
  });
  if (candidates.length === 0) return { kind: 'noMatchingType' };
  if (candidates.length === 1) return { kind: 'definition', definition: candidates[0] };
  const pick = (predicate: (definition: FieldDefinition) => boolean) => candidates.filter(predicate).pop();
  if (field.enum) {
    const definition = pick(({ schema }) => !!schema.properties.enum);
    return definition ? { kind: 'definition', definition } : { kind: 'unsupportedKey', key: 'enum' };
  }
  if (field.resourceType) {
    const definition = pick(({ schema }) => !!schema.properties.resourceType);
    return definition ? { kind: 'definition', definition } : { kind: 'unsupportedKey', key: 'resourceType' };
  }
  const definition = pick(({ schema }) => !schema.properties.enum && !schema.properties.resourceType);
  return definition ? { kind: 'definition', definition } : { kind: 'noMatchingType' };
}

/** Type names fields may have (for messages). */
export function knownFieldTypes(isSubField: boolean): string[] {
  const types = (isSubField ? subFieldDefinitions : fieldDefinitions).flatMap(({ schema }) => (schema.properties.type.enum as string[] | undefined) ?? []);
  return [...new Set(types)];
}

export function definitionValidator(definition: FieldDefinition): ValidateFunction {
  return helperValidator(definition.name);
}

/** Validator for a `#/definitions/<name>` helper definition (array items, sub-object properties). */
export function helperValidator(name: string): ValidateFunction {
  return compiledValidator('input', inputDefinitionKey(name));
}

/** The official first pass: the root without looking into `properties`. */
export function basicStructureValidator(): ValidateFunction {
  return compiledValidator('input', 'inputBasic');
}

const isSecretField = (field: Record<string, unknown>) => field.isSecret === true;

/** Editors a field of this definition may use (secret fields have a narrower list). */
export function allowedEditors(definition: FieldDefinition, field: Record<string, unknown>): string[] {
  const secretEditors = definition.schema.else?.properties?.editor?.enum as string[] | undefined;
  if (isSecretField(field) && secretEditors) return secretEditors;
  return (definition.schema.properties.editor?.enum as string[] | undefined) ?? [];
}

/** Branches of the definition's editor-dependent oneOf (array items / object properties shapes). */
function editorBranches(definition: FieldDefinition): JsonSchemaObject[] {
  const allOf = (definition.schema.then?.allOf ?? definition.schema.allOf ?? []) as JsonSchemaObject[];
  return allOf.find((entry) => Array.isArray(entry.oneOf))?.oneOf ?? [];
}

/** Name of the helper definition that the field's `items` (or `properties`) must follow, given its editor. */
export function nestedDefinitionName(definition: FieldDefinition, field: Record<string, unknown>, key: 'items' | 'properties'): string | undefined {
  const refName = (schema: JsonSchemaObject | undefined) => (typeof schema?.$ref === 'string' ? schema.$ref.split('/').pop() : undefined);
  if (isSecretField(field) && definition.schema.else?.properties?.[key]) return refName(definition.schema.else.properties[key]);
  const direct = definition.schema.properties?.[key];
  if (direct) return refName(direct);
  const branch = editorBranches(definition).find((candidate) => {
    const editors = candidate.properties?.editor?.enum as unknown[] | undefined;
    if (editors) return field.editor !== undefined && editors.includes(field.editor);
    return field.editor === undefined; // the "no editor" branch
  });
  return refName(branch?.properties?.[key]);
}

/** Every key a definition mentions anywhere (for spelling suggestions). */
export function keysOfDefinition(definition: FieldDefinition): string[] {
  const keys = new Set<string>();
  const visit = (schema: unknown) => {
    if (!isPlainObject(schema)) return;
    if (isPlainObject(schema.properties)) Object.keys(schema.properties).forEach((key) => keys.add(key));
    for (const branch of ['then', 'else']) visit(schema[branch]);
    for (const list of ['allOf', 'oneOf', 'anyOf']) if (Array.isArray(schema[list])) (schema[list] as unknown[]).forEach(visit);
  };
  visit(definition.schema);
  return [...keys];
}
