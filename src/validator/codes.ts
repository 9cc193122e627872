/**
 * Every diagnostic code the validator reports, in one place (as vscode-json-languageservice keeps its ErrorCode):
 * rules name a code from here, never a string of their own. A code's id is a stable identifier that tools and
 * people filter on: never reworded once published. docs/diagnostics.md lists them all; the unit test
 * test/unit/validator/codes.test.ts keeps that page, this catalogue and the rules in step.
 */
import type { Severity } from './types';

export interface DiagnosticCode {
  /** What a diagnostic's `code` says, e.g. `input-schema/editor-type-mismatch`. */
  readonly id: string;
  /** The severities it is reported with (warnings and infos only at the warning levels that keep them). */
  readonly severities: readonly Severity[];
  /** What it means, in one line. */
  readonly meaning: string;
}

function code(id: string, severity: Severity | Severity[], meaning: string): DiagnosticCode {
  return { id, severities: Array.isArray(severity) ? severity : [severity], meaning };
}

/** The codes of the generic wording of a meta-schema error (schemaErrors.ts), one family per kind of file. */
export interface SchemaCodes {
  wrongType: DiagnosticCode;
  missingProperty: DiagnosticCode;
  invalidValue: DiagnosticCode;
  ambiguous: DiagnosticCode;
  invalidKey: DiagnosticCode;
  unknownKey: DiagnosticCode;
}

function schemaCodes(prefix: string, what: string, unknownKeySeverity: Severity | Severity[] = 'error'): SchemaCodes {
  return {
    wrongType: code(`${prefix}/wrong-type`, 'error', `A value in ${what} has the wrong JSON type.`),
    missingProperty: code(`${prefix}/missing-property`, 'error', `An object in ${what} lacks a property the platform requires.`),
    invalidValue: code(`${prefix}/invalid-value`, 'error', `A value in ${what} is not one the platform accepts (enum, pattern, range, combination).`),
    ambiguous: code(`${prefix}/ambiguous`, 'error', `A value in ${what} matches more than one of the forms of which it must match exactly one.`),
    invalidKey: code(`${prefix}/invalid-key`, 'error', `A key in ${what} is not a name the platform allows there.`),
    unknownKey: code(`${prefix}/unknown-key`, unknownKeySeverity, `A key in ${what} that the platform does not know (a spelling suggestion when one is close).`),
  };
}

export const Codes = {
  internalError: code('internal-error', 'error', 'The validator itself failed on the file: a bug to report; the file was not checked.'),

  json: {
    empty: code('json/empty', 'error', 'The file is empty; a definition file must hold a JSON object.'),
    syntax: code('json/syntax', 'error', 'The file is not valid JSON, so the platform cannot read it.'),
    comment: code('json/comment', 'error', 'A comment: the platform reads definition files with JSON.parse, which rejects comments.'),
    trailingComma: code('json/trailing-comma', 'error', 'A comma before a closing bracket, which JSON does not allow.'),
  },

  actor: {
    ...schemaCodes('actor', 'actor.json', ['error', 'warning']),
    invalidVersion: code('actor/invalid-version', 'error', '"version" is not MAJOR.MINOR or MAJOR.MINOR.PATCH with digits only.'),
    invalidSpecification: code('actor/invalid-specification', 'error', '"actorSpecification" is not 1.'),
    missingSpecification: code('actor/missing-specification', 'error', 'actor.json has no "actorSpecification".'),
    missingName: code('actor/missing-name', 'error', 'actor.json has no "name".'),
    missingVersion: code('actor/missing-version', 'error', 'actor.json has no "version".'),
    datasetAndDatasets: code('actor/dataset-and-datasets', 'error', '"storages" sets both "dataset" and "datasets"; only one may be given.'),
    invalidDatasetAlias: code('actor/invalid-dataset-alias', 'error', 'A key of "storages.datasets" is not a valid alias (a letter, then letters, digits, underscores).'),
    invalidName: code('actor/invalid-name', 'warning', 'The Actor name is not 3–63 letters, digits and dashes; the platform refuses it on push.'),
    duplicateInput: code('actor/duplicate-input', 'warning', 'Both the deprecated "input" and "inputSchema" are set; only "inputSchema" counts.'),
    duplicateOutput: code('actor/duplicate-output', 'warning', 'Both the deprecated "output" and "outputSchema" are set; only "outputSchema" counts.'),
    secretEnvironmentVariable: code('actor/secret-environment-variable', 'info', 'An environment variable whose name suggests a secret is written in plain text in actor.json.'),
    memoryNotPowerOfTwo: code('actor/memory-not-power-of-two', 'warning', 'A memory setting is not a power of two; the platform rounds it.'),
    memoryMinGreaterThanMax: code('actor/memory-min-greater-than-max', 'warning', '"minMemoryMbytes" is greater than "maxMemoryMbytes".'),
    defaultMemoryOutOfRange: code('actor/default-memory-out-of-range', 'warning', '"defaultMemoryMbytes" lies outside the min/max memory range.'),
    dockerfileFallback: code('actor/dockerfile-fallback', 'warning', 'The Dockerfile named in "dockerfile" does not exist; the build falls back to another one.'),
    missingDockerfile: code('actor/missing-dockerfile', 'error', 'No Dockerfile: neither the named one nor .actor/Dockerfile nor ./Dockerfile exists.'),
    missingReadme: code('actor/missing-readme', 'warning', 'The README named in "readme" does not exist.'),
    missingChangelog: code('actor/missing-changelog', 'warning', 'The changelog named in "changelog" does not exist.'),
    missingDockerContextDir: code('actor/missing-docker-context-dir', 'error', 'The folder named in "dockerContextDir" does not exist.'),
    missingSchemaFile: code('actor/missing-schema-file', 'error', 'A schema file actor.json points to (input, output, dataset, key-value store, web server) does not exist.'),
  },

  legacy: {
    apifyJson: code('legacy/apify-json', 'warning', 'The Actor is defined by the legacy apify.json; a quick fix migrates it to .actor/actor.json.'),
    notObject: code('legacy/not-object', 'error', 'apify.json is not a JSON object.'),
    noDefinition: code('legacy/no-definition', 'info', 'The Actor has a Dockerfile but neither .actor/actor.json nor apify.json: the platform builds it with default settings.'),
  },

  inputSchema: {
    ...schemaCodes('input-schema', 'the input schema'),
    tooLarge: code('input-schema/too-large', 'error', 'The input schema file is larger than the platform accepts.'),
    notObject: code('input-schema/not-object', 'error', 'The input schema is not a JSON object.'),
    invalid: code('input-schema/invalid', 'error', 'The platform\'s final check of the whole input schema failed where no other rule explained why.'),
    defaultWithRequired: code('input-schema/default-with-required', 'info', 'A required field also has a default: a run without it gets the default, so only the Console form shows it as required.'),
    actorInputSchemaVersion: code('input-schema/actor-input-schema-version', 'error', 'The old spelling "actorInputSchemaVersion" instead of "schemaVersion".'),
    fieldNotObject: code('input-schema/field-not-object', 'error', 'A field in "properties" is not an object.'),
    deprecatedProperty: code('input-schema/deprecated-property', 'error', 'A field uses a property the platform no longer supports and rejects.'),
    missingType: code('input-schema/missing-type', 'error', 'A field has no "type".'),
    invalidType: code('input-schema/invalid-type', 'error', 'A field\'s "type" is not one allowed there (top level or sub-field).'),
    propertyNotAllowed: code('input-schema/property-not-allowed', 'error', 'A field has a property its type, editor or secrecy does not allow.'),
    selectItems: code('input-schema/select-items', 'error', 'The items of a "select" array are not {"type": "string"} with exactly one of "enum" or "enumSuggestedValues".'),
    nullDefault: code('input-schema/null-default', 'error', 'A field\'s "default" is null but the field is not "nullable".'),
    resourcePermissionsWithDefault: code('input-schema/resource-permissions-with-default', 'error', 'A storage field with "resourcePermissions" also has a "prefill" or "default".'),
    resourcePermissionsRead: code('input-schema/resource-permissions-read', 'error', '"resourcePermissions" does not include "READ".'),
    editorTypeMismatch: code('input-schema/editor-type-mismatch', 'error', 'A field\'s "editor" cannot be used with its type (or with a secret field).'),
    missingEditor: code('input-schema/missing-editor', 'error', 'A field whose type needs an "editor" has none.'),
    missingTitle: code('input-schema/missing-title', 'error', 'A field has no "title"; the platform requires one on every field.'),
    missingDescription: code('input-schema/missing-description', 'error', 'A field has no "description"; the platform requires one on every field.'),
    selectWithoutValues: code('input-schema/select-without-values', 'error', 'A string field uses the "select" editor without "enum" or "enumSuggestedValues".'),
    missingMcpServers: code('input-schema/missing-mcp-servers', 'error', 'A field with resourceType "mcpConnector" has no "mcpServers".'),
    invalidRegex: code('input-schema/invalid-regex', 'error', 'A field\'s "pattern" is not a valid JavaScript regular expression.'),
    requiredNotDefined: code('input-schema/required-not-defined', 'error', '"required" names a field that "properties" does not define.'),
    enumTitlesLength: code('input-schema/enum-titles-length', 'warning', '"enum" and "enumTitles" have different lengths.'),
    defaultNotInEnum: code('input-schema/default-not-in-enum', 'warning', 'A field\'s default is not one of its enum values.'),
    minGreaterThanMax: code('input-schema/min-greater-than-max', 'warning', 'A minimum (value, length, items, properties) is greater than its maximum, so no value is valid.'),
    selectWithoutItems: code('input-schema/select-without-items', 'warning', 'An array field uses the "select" editor without "items" to choose from.'),
    missingResourcePermissions: code('input-schema/missing-resource-permissions', 'warning', 'A storage field does not say with "resourcePermissions" what the Actor does with the storage.'),
  },

  input: {
    missingRequired: code('input/missing-required', 'error', 'The input (INPUT.json or a run\'s input) lacks a field the input schema requires.'),
    invalidValue: code('input/invalid-value', 'error', 'A value in the input does not match its field in the input schema.'),
  },

  datasetSchema: {
    ...schemaCodes('dataset-schema', 'the dataset schema'),
    plainJsonSchema: code('dataset-schema/plain-json-schema', 'error', 'The dataset schema is a plain JSON Schema of the items (e.g. "type" and "properties" at the top level) instead of holding it under "fields".'),
    incompleteView: code('dataset-schema/incomplete-view', 'error', 'A view lacks a "title", or has neither "transformation" nor "display".'),
    unknownTransformationField: code('dataset-schema/unknown-transformation-field', 'warning', 'A view selects a field that "fields" does not describe.'),
    displayPropertyNotProduced: code('dataset-schema/display-property-not-produced', 'warning', 'A view displays a property its transformation does not produce.'),
  },

  outputSchema: {
    ...schemaCodes('output-schema', 'the output schema'),
    unknownTemplateVariable: code('output-schema/unknown-template-variable', 'warning', 'An output template uses a variable that is not a known template variable.'),
    unknownDatasetAlias: code('output-schema/unknown-dataset-alias', 'warning', 'An output template names a dataset alias actor.json does not declare.'),
  },

  keyValueStoreSchema: {
    ...schemaCodes('key-value-store-schema', 'the key-value store schema'),
    keyOrPrefix: code('key-value-store-schema/key-or-prefix', 'error', 'A collection has both or neither of "key" and "keyPrefix".'),
    jsonSchemaContentType: code('key-value-store-schema/json-schema-content-type', 'error', 'A collection with a "jsonSchema" allows content types other than exactly ["application/json"].'),
  },

  webServerSchema: {
    notObject: code('web-server-schema/not-object', 'error', 'The web server schema is not a JSON object.'),
    missingOpenapi: code('web-server-schema/missing-openapi', 'error', 'The web server schema is not an OpenAPI v3 document (no "openapi": "3.x").'),
  },
} as const;

/** Every code, in catalogue order. */
export function allCodes(): DiagnosticCode[] {
  return Object.values(Codes).flatMap((entry) => ('id' in entry ? [entry as DiagnosticCode] : Object.values(entry as Record<string, DiagnosticCode>)));
}
