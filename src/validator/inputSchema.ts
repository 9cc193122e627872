/**
 * Input schema rules. Mirrors @apify/input_schema's validateInputSchema step by step (basic structure, every field
 * and sub-field against the definition chosen by its type, regular expressions, required names, the whole schema)
 * but keeps going after the first problem and reports each at its own range.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import {
  allowedEditors,
  basicStructureValidator,
  chooseDefinition,
  definitionValidator,
  FieldDefinition,
  helperValidator,
  keysOfDefinition,
  knownFieldTypes,
  nestedDefinitionName,
} from './inputDefinitions';
import { Codes, DiagnosticCode } from './codes';
import { isPlainObject, JsonPath, pointerToPath } from './json';
import { describeType, dotted, expectedType, listOr, quote, suggestSpelling } from './messages';
import { inputMetaSchema, inputSchemaVerdict } from './metaSchemas';
import { Report, Site } from './report';
import { Finding, genericFinding, meaningfulErrors, SchemaErrorContext, unknownKeyFinding } from './schemaErrors';
import { QuickFix } from './types';

export const MAX_INPUT_SCHEMA_BYTES = 500 * 1024;
/** Which allowed editor a fix offers first. */
const PREFERRED_EDITORS = ['textfield', 'checkbox', 'number', 'json', 'select', 'resourcePicker', 'stringList'];
const ROOT_KEYS = Object.keys(inputMetaSchema.properties);
/** Keys the platform once accepted on fields and now rejects: each gets its own error (checkField), and only that. */
const DEPRECATED_FIELD_KEYS = ['patternKey', 'patternValue'];
/** The field definition's editor-dependent oneOf; its `items`/`properties` shapes are checked directly instead. */
const EDITOR_BRANCH_PATH = /^#\/(then\/)?allOf\/0\/oneOf/;
/**
 * Errors inside `items`/`properties` come from referenced definitions whose schemaPath ajv does not prefix, so they
 * are recognised by where they point: these parts are checked by checkNested and by each sub-field's own check.
 */
const NESTED_POINTER = /^\/(items|properties)(\/|$)/;
/** Within a nested shape: pointers into sub-field schemas (checked on their own). */
const SUB_FIELD_POINTER: Record<string, RegExp> = {
  subObjectProperties: /^\/./,
  arrayItems: /\/properties\/[^/]+/,
};

/** Validates an input schema value found at `site`. `byteSize` is the file size when the schema is a file of its own. */
export function checkInputSchema(site: Site, report: Report, schema: unknown, byteSize?: number): void {
  const errorsBefore = report.errorCount(site.file);
  if (byteSize !== undefined && byteSize > MAX_INPUT_SCHEMA_BYTES) {
    report.error(site, [], Codes.inputSchema.tooLarge,
      `The input schema is ${Math.round(byteSize / 1024)} kB; the platform accepts at most ${MAX_INPUT_SCHEMA_BYTES / 1024} kB. Shorten descriptions or split the Actor.`);
  }
  if (!isPlainObject(schema)) {
    report.error(site, [], Codes.inputSchema.notObject, `The input schema must be a JSON object, not ${describeType(schema)}.`);
    return;
  }
  const checker = new InputSchemaChecker(site, report, schema);
  checker.check();
  if (report.errorCount(site.file) > errorsBefore) return;
  // Safety net: whatever the steps above missed, the platform's last step (the whole meta-schema) still decides.
  const verdict = inputSchemaVerdict();
  if (!checker.failedStep && verdict(schema)) return;
  const firstError = verdict.errors?.[0];
  const path = firstError ? pointerToPath(firstError.instancePath) : [];
  report.error(site, path, Codes.inputSchema.invalid, firstError
    ? genericFinding(firstError, path, { site, report, codes: Codes.inputSchema, data: schema }).message
    : 'The input schema does not match the platform\'s input schema definition.');
}

class InputSchemaChecker {
  /** Set when a step of the official pipeline failed, even if its errors were not worded. */
  failedStep = false;

  constructor(
    private readonly site: Site,
    private readonly report: Report,
    private readonly schema: Record<string, unknown>,
  ) {}

  check(): void {
    this.checkRoot();
    const { properties, required } = this.schema;
    if (isPlainObject(properties)) {
      const requiredNames = new Set(Array.isArray(required) ? required : []);
      for (const [key, field] of Object.entries(properties)) {
        this.checkFieldTree(['properties', key], field, key, false);
        if (isPlainObject(field) && requiredNames.has(key) && field.default !== undefined) {
          this.report.info(this.site, ['properties', key, 'default'], Codes.inputSchema.defaultWithRequired,
            `Field ${quote(key)} is required and has a default: a run started without it gets the default, so "required" never rejects an input; only the Console form still marks the field as required.`, { part: 'key' });
        }
      }
      this.checkRequiredNamesExist(properties, required);
    }
  }

  private checkRoot(): void {
    const validate = basicStructureValidator();
    if (validate(this.schema)) return;
    this.failedStep = true;
    this.reportErrors(validate, this.schema, [], (error, path) => {
      const key = error.params.additionalProperty as string | undefined;
      if (error.keyword === 'additionalProperties' && path.length === 0 && key === 'actorInputSchemaVersion') {
        const fixes: QuickFix[] = 'schemaVersion' in this.schema ? [] : [{ title: 'Rename to "schemaVersion"', changes: [this.site.renameKey([key], 'schemaVersion')], preferred: true }];
        return { path: [key], part: 'key', code: Codes.inputSchema.actorInputSchemaVersion, fixes,
          message: '"actorInputSchemaVersion" is not accepted by the platform (the whitepaper\'s old spelling). Use "schemaVersion": 1.' };
      }
      // The old spelling's own error (with its rename fix) already says what is missing.
      if (error.keyword === 'required' && error.params.missingProperty === 'schemaVersion' && 'actorInputSchemaVersion' in this.schema) return null;
      if (error.keyword === 'additionalProperties' && path.length === 0 && key !== undefined) {
        return unknownKeyFinding(this.errorContext(this.schema, []), [], key);
      }
      if (path[0] === 'schemaVersion' && path.length === 1 && error.keyword !== 'type') {
        return { path, part: 'value', code: Codes.inputSchema.invalidValue, message: '"schemaVersion" must be 1.' };
      }
      return undefined;
    });
  }

  /** A field and, first (like the platform), its sub-fields in `properties` and in array `items`. */
  private checkFieldTree(path: JsonPath, field: unknown, fieldKey: string, isSubField: boolean): void {
    if (isPlainObject(field)) {
      if (field.type === 'object' && field.properties) this.checkSubFields([...path, 'properties'], field.properties, fieldKey);
      if (field.type === 'array' && field.items) this.checkArrayItems([...path, 'items'], field.items, `${fieldKey}.items`);
    }
    this.checkField(path, field, fieldKey, isSubField);
  }

  private checkSubFields(path: JsonPath, properties: unknown, fieldKey: string): void {
    if (!isPlainObject(properties)) return; // the field's own definition reports the wrong type
    for (const [subKey, subField] of Object.entries(properties)) {
      this.checkFieldTree([...path, subKey], subField, `${fieldKey}.${subKey}`, true);
    }
  }

  private checkArrayItems(path: JsonPath, items: unknown, fieldKey: string): void {
    if (!isPlainObject(items)) return;
    if (items.type === 'object' && items.properties) this.checkSubFields([...path, 'properties'], items.properties, fieldKey);
    if (items.type === 'array' && items.items) this.checkArrayItems([...path, 'items'], items.items, `${fieldKey}.items`);
  }

  private checkField(path: JsonPath, field: unknown, fieldKey: string, isSubField: boolean): void {
    const label = `Field ${quote(fieldKey)}`;
    if (!isPlainObject(field)) {
      this.failedStep = true;
      this.report.error(this.site, path, Codes.inputSchema.fieldNotObject,
        `${label} must be an object with "type", "title" and "description", not ${describeType(field)}.`);
      return;
    }
    for (const deprecated of DEPRECATED_FIELD_KEYS) {
      if (deprecated in field) {
        this.failedStep = true;
        this.report.error(this.site, [...path, deprecated], Codes.inputSchema.deprecatedProperty,
          `"${deprecated}" is no longer supported and the platform rejects it. Remove it; describe the item shape in "items" instead.`, { part: 'key' });
      }
    }
    const choice = chooseDefinition(field, isSubField);
    if (choice.kind === 'noMatchingType') {
      this.failedStep = true;
      const types = listOr(knownFieldTypes(isSubField));
      const arrayNote = isSubField ? '' : ' (or an array of types with editor "json")';
      if (!('type' in field)) {
        this.report.error(this.site, path, Codes.inputSchema.missingType, `${label} has no "type". Add one of ${types}${arrayNote}.`, { part: 'key' });
      } else {
        // A misspelling ("strng") gets its one-click fix; anything else only the list.
        const suggestion = typeof field.type === 'string' ? suggestSpelling(field.type, knownFieldTypes(isSubField)) : undefined;
        const fixes: QuickFix[] | undefined = suggestion ? [{ title: `Change to ${quote(suggestion)}`, changes: [this.site.replaceValue([...path, 'type'], suggestion)], preferred: true }] : undefined;
        const advice = suggestion ? ` Did you mean ${quote(suggestion)}?` : ` Use ${types}${arrayNote}.`;
        this.report.error(this.site, [...path, 'type'], Codes.inputSchema.invalidType, `${label} has type ${quote(field.type)}, which is not allowed${isSubField ? ' in a sub-field' : ''}.${advice}`, { fixes });
      }
      return;
    }
    if (choice.kind === 'unsupportedKey') {
      this.failedStep = true;
      this.report.error(this.site, [...path, choice.key], Codes.inputSchema.propertyNotAllowed,
        `${quote(choice.key)} cannot be used on a field of type ${quote(field.type)}${choice.key === 'enum' ? '; for a multiple choice put "enum" into "items" and use the "select" editor' : ''}.`, { part: 'key' });
      return;
    }
    this.checkAgainstDefinition(path, field, fieldKey, choice.definition);
    if (field.pattern && typeof field.pattern === 'string') this.checkPattern([...path, 'pattern'], field.pattern, label);
    this.checkLikelyMistakes(path, field, label);
  }

  private checkAgainstDefinition(path: JsonPath, field: Record<string, unknown>, fieldKey: string, definition: FieldDefinition): void {
    const validate = definitionValidator(definition);
    if (validate(field)) return;
    this.failedStep = true;
    const label = `Field ${quote(fieldKey)}`;
    const raw = validate.errors ?? [];
    const editorBranchFailed = raw.some((error) => EDITOR_BRANCH_PATH.test(error.schemaPath));
    const relevant = raw.filter((error) => !EDITOR_BRANCH_PATH.test(error.schemaPath) && !NESTED_POINTER.test(error.instancePath));
    const hasErrorBelow = (key: string) => relevant.some((error) => error.instancePath === `/${key}` || error.instancePath.startsWith(`/${key}/`));
    const editorReported = { done: false };
    this.reportErrors({ errors: relevant } as ValidateFunction, field, path, (error, relativePath) =>
      this.phraseFieldError(error, relativePath, field, label, definition, { editorBranchFailed, hasErrorBelow, editorReported }));
    for (const nestedKey of ['items', 'properties'] as const) {
      if (field[nestedKey] === undefined) continue;
      const helper = nestedDefinitionName(definition, field, nestedKey);
      if (helper) this.checkNested([...path, nestedKey], field[nestedKey], helper);
    }
  }

  /** `items` / `properties` against the shape the field's editor requires, leaving sub-fields to their own check. */
  private checkNested(path: JsonPath, value: unknown, helperName: string): void {
    const validate = helperValidator(helperName);
    if (validate(value)) return;
    const subFieldPointer = SUB_FIELD_POINTER[helperName];
    const errors = (validate.errors ?? []).filter((error) => !subFieldPointer?.test(error.instancePath));
    this.reportErrors({ errors } as ValidateFunction, value, path, (error, relativePath) => {
      if (helperName === 'arrayItemsSelect' && (error.keyword === 'oneOf' || error.keyword === 'required') && relativePath.length === 0) {
        return { path: [], part: 'value', code: Codes.inputSchema.selectItems,
          message: 'The items of a "select" array must be {"type": "string"} with exactly one of "enum" (fixed choices) or "enumSuggestedValues" (suggestions).' };
      }
      return undefined;
    });
  }

  private phraseFieldError(
    error: ErrorObject,
    path: JsonPath,
    field: Record<string, unknown>,
    label: string,
    definition: FieldDefinition,
    state: { editorBranchFailed: boolean; hasErrorBelow: (key: string) => boolean; editorReported: { done: boolean } },
  ): Finding | null | undefined {
    const key = path[0] as string | undefined;
    const typeName = Array.isArray(field.type) ? 'a list of types' : `type ${field.type}`;
    if (path.length === 1 && key === 'editor' && (error.keyword === 'enum' || error.keyword === 'const')) {
      if (state.editorReported.done) return null;
      state.editorReported.done = true;
      return this.editorMismatch(path, field, definition, typeName);
    }
    if (path.length === 0 && (error.keyword === 'unevaluatedProperties' || error.keyword === 'additionalProperties')) {
      const extraKey = String(error.params.unevaluatedProperty ?? error.params.additionalProperty);
      if (state.hasErrorBelow(extraKey) || DEPRECATED_FIELD_KEYS.includes(extraKey)) return null;
      if (state.editorBranchFailed && ['editor', 'items', 'properties'].includes(extraKey)) return null;
      return this.keyNotAllowed(extraKey, field, label, definition, typeName);
    }
    if (path.length === 0 && error.keyword === 'required') return this.missingProperty(String(error.params.missingProperty), field, label, definition, typeName);
    if (path.length === 1 && error.keyword === 'type' && ['default', 'prefill', 'example'].includes(String(key))) {
      const value = field[key as string];
      if (value === null && key === 'default') {
        return { path, part: 'value', code: Codes.inputSchema.nullDefault, message: `${label}: "default" can be null only when the field has "nullable": true. Add it or remove the default.` };
      }
      return { path, part: 'value', code: Codes.inputSchema.wrongType, message: `${label}: ${quote(key)} must be ${expectedType(error.params.type)} like the field, not ${describeType(value)}.` };
    }
    if (path.length === 0 && error.keyword === 'not' && 'resourcePermissions' in field) {
      return { path: ['resourcePermissions'], part: 'key', code: Codes.inputSchema.resourcePermissionsWithDefault,
        message: `${label} has "resourcePermissions", so it cannot have "prefill" or "default". Remove them.` };
    }
    if (key === 'resourcePermissions' && error.keyword === 'contains') {
      return { path, part: 'value', code: Codes.inputSchema.resourcePermissionsRead, message: `${label}: "resourcePermissions" must include "READ".` };
    }
    return undefined;
  }

  private editorMismatch(path: JsonPath, field: Record<string, unknown>, definition: FieldDefinition, typeName: string): Finding {
    const allowed = allowedEditors(definition, field);
    const ordered = [...allowed].sort((a, b) => preference(a) - preference(b));
    const secret = field.isSecret === true ? 'a secret field of ' : '';
    const fixes: QuickFix[] = ordered.map((editor, index) => ({
      title: `Use editor ${quote(editor)}`, changes: [this.site.replaceValue([...this.currentFieldPath, ...path], editor)], preferred: index === 0,
    }));
    return { path, part: 'value', code: Codes.inputSchema.editorTypeMismatch, fixes,
      message: `editor ${quote(field.editor)} can't be used with ${secret}${typeName}: use ${listOr(ordered).replace(/"/g, '')}.` };
  }

  private keyNotAllowed(extraKey: string, field: Record<string, unknown>, label: string, definition: FieldDefinition, typeName: string): Finding {
    const path = [extraKey];
    const code = Codes.inputSchema.propertyNotAllowed;
    const known = keysOfDefinition(definition);
    if (known.includes(extraKey) && field.isSecret === true) {
      return { path, part: 'key', code, message: `${label}: ${quote(extraKey)} cannot be used on a secret field (isSecret: true). Remove it.` };
    }
    if (known.includes(extraKey)) {
      const reason = CONDITIONAL_KEYS[extraKey] ?? `with ${typeName} as written`;
      return { path, part: 'key', code, message: `${label}: ${quote(extraKey)} can only be used ${reason}. Remove it or change the field.` };
    }
    const suggestion = suggestSpelling(extraKey, known);
    const fixes: QuickFix[] | undefined = suggestion
      ? [{ title: `Rename to ${quote(suggestion)}`, changes: [this.site.renameKey([...this.currentFieldPath, extraKey], suggestion)], preferred: true }]
      : undefined;
    return { path, part: 'key', code, fixes,
      message: `${label}: ${quote(extraKey)} is not allowed on a field of ${typeName}.${suggestion ? ` Did you mean ${quote(suggestion)}?` : ' Remove it.'}` };
  }

  private missingProperty(missing: string, field: Record<string, unknown>, label: string, definition: FieldDefinition, typeName: string): Finding {
    const fieldPath = this.currentFieldPath;
    if (missing === 'editor') {
      const editors = [...allowedEditors(definition, field)].sort((a, b) => preference(a) - preference(b));
      const fixes = editors.flatMap((editor, index) => {
        const change = this.site.insertProperty(fieldPath, 'editor', editor);
        return change ? [{ title: `Add editor ${quote(editor)}`, changes: [change], preferred: index === 0 }] : [];
      });
      return { path: [], part: 'key', code: Codes.inputSchema.missingEditor, fixes, message: `${label} of ${typeName} needs an "editor": use ${listOr(editors).replace(/"/g, '')}.` };
    }
    if (missing === 'title' || missing === 'description') {
      const fieldKey = String(fieldPath[fieldPath.length - 1]);
      const text = missing === 'title' ? humanize(fieldKey) : typeof field.title === 'string' ? field.title : humanize(fieldKey);
      const change = this.site.insertProperty(fieldPath, missing, text);
      return { path: [], part: 'key', code: missing === 'title' ? Codes.inputSchema.missingTitle : Codes.inputSchema.missingDescription, fixes: change ? [{ title: `Add ${missing}`, changes: [change], preferred: true }] : undefined,
        message: `${label} needs a ${quote(missing)} (the platform requires it on every field).` };
    }
    if (missing === 'enumSuggestedValues') {
      return { path: ['editor'], part: 'value', code: Codes.inputSchema.selectWithoutValues,
        message: `${label} uses the "select" editor without "enum": add "enum" (fixed choices) or "enumSuggestedValues" (suggestions).` };
    }
    if (missing === 'mcpServers') {
      return { path: ['resourceType'], part: 'value', code: Codes.inputSchema.missingMcpServers, message: `${label} has resourceType "mcpConnector" and needs "mcpServers".` };
    }
    return { path: [], part: 'key', code: Codes.inputSchema.missingProperty, message: `${label} is missing ${quote(missing)}. Add it.` };
  }

  private checkPattern(path: JsonPath, pattern: string, label: string): void {
    try {
      new RegExp(pattern);
    } catch (error) {
      this.failedStep = true;
      this.report.error(this.site, path, Codes.inputSchema.invalidRegex,
        `${label}: "pattern" is not a valid JavaScript regular expression (${error instanceof Error ? error.message : error}).`);
    }
  }

  private checkLikelyMistakes(path: JsonPath, field: Record<string, unknown>, label: string): void {
    const warn = (at: JsonPath, code: DiagnosticCode, message: string) => this.report.warning(this.site, [...path, ...at], code, message, { part: 'key' });
    if (Array.isArray(field.enum) && Array.isArray(field.enumTitles) && field.enum.length !== field.enumTitles.length) {
      warn(['enumTitles'], Codes.inputSchema.enumTitlesLength, `${label} has ${field.enum.length} enum values but ${field.enumTitles.length} enumTitles; each value needs exactly one title.`);
    }
    if (Array.isArray(field.enum) && field.default !== undefined && field.default !== null && !field.enum.includes(field.default)) {
      warn(['default'], Codes.inputSchema.defaultNotInEnum, `${label}: the default ${quote(field.default)} is not one of the enum values.`);
    }
    for (const [min, max] of [['minimum', 'maximum'], ['minLength', 'maxLength'], ['minItems', 'maxItems'], ['minProperties', 'maxProperties']]) {
      if (typeof field[min] === 'number' && typeof field[max] === 'number' && (field[min] as number) > (field[max] as number)) {
        warn([min], Codes.inputSchema.minGreaterThanMax, `${label}: ${quote(min)} (${field[min]}) is greater than ${quote(max)} (${field[max]}), so no value can be valid.`);
      }
    }
    if (field.type === 'array' && field.editor === 'select' && field.items === undefined) {
      warn(['editor'], Codes.inputSchema.selectWithoutItems, `${label} uses the "select" editor without "items"; add {"type": "string", "enum": [...]} so there is something to choose.`);
    }
    if (field.type !== undefined && ['dataset', 'keyValueStore', 'requestQueue'].includes(field.resourceType as string) && field.resourcePermissions === undefined) {
      warn(['resourceType'], Codes.inputSchema.missingResourcePermissions, `${label} picks a storage but has no "resourcePermissions"; add ["READ"] or ["READ", "WRITE"] to say what the Actor does with it.`);
    }
  }

  private checkRequiredNamesExist(properties: Record<string, unknown>, required: unknown): void {
    if (!Array.isArray(required)) return;
    required.forEach((name, index) => {
      // Same test as the platform (a truthy lookup), so names like "constructor" behave identically.
      if (properties[name as string]) return;
      this.failedStep = true;
      const suggestion = typeof name === 'string' ? suggestSpelling(name, Object.keys(properties)) : undefined;
      this.report.error(this.site, ['required', index], Codes.inputSchema.requiredNotDefined,
        `${quote(name)} is listed in "required" but there is no such field in "properties". Define the field or remove it from "required".${suggestion ? ` Did you mean ${quote(suggestion)}?` : ''}`,
        { fixes: suggestion ? [{ title: `Change to ${quote(suggestion)}`, changes: [this.site.replaceValue(['required', index], suggestion)], preferred: true }] : undefined });
    });
  }

  /** Path (within the site) of the field whose errors are being worded; set by reportErrors. */
  private currentFieldPath: JsonPath = [];

  private errorContext(data: unknown, base: JsonPath): SchemaErrorContext {
    return {
      site: this.site.child(base), report: this.report, codes: Codes.inputSchema, data,
      knownKeys: (objectPath) => (base.length === 0 && objectPath.length === 0 ? ROOT_KEYS : []),
    };
  }

  /** Reports the meaningful errors of one validation step, with paths relative to `base`. */
  private reportErrors(validate: Pick<ValidateFunction, 'errors'>, data: unknown, base: JsonPath, phrase: (error: ErrorObject, path: JsonPath) => Finding | null | undefined): void {
    this.currentFieldPath = base;
    const context = this.errorContext(data, base);
    const seen = new Set<string>();
    for (const error of meaningfulErrors(validate.errors ?? [])) {
      const path = pointerToPath(error.instancePath);
      const phrased = phrase(error, path);
      if (phrased === null) continue;
      const finding = phrased ?? genericFinding(error, path, context);
      const absolute = [...base, ...finding.path];
      const identity = `${finding.code.id}|${dotted(absolute)}`;
      if (seen.has(identity)) continue;
      seen.add(identity);
      const message = finding.message.startsWith('"') && base.length ? `${quote(dotted(base))}: ${finding.message}` : finding.message;
      this.report.error(this.site, absolute, finding.code, message, { part: finding.part, fixes: finding.fixes });
    }
  }
}

/** Why a key the type knows was not accepted here. */
const CONDITIONAL_KEYS: Record<string, string> = {
  dateType: 'with the "datepicker" editor',
  enumSuggestedValues: 'with the "select" editor',
  enumTitles: 'together with "enum" or with the "select" editor',
  resourcePermissions: 'with resourceType "dataset", "keyValueStore" or "requestQueue"',
  mcpServers: 'with resourceType "mcpConnector"',
};

function preference(editor: string): number {
  const index = PREFERRED_EDITORS.indexOf(editor);
  return index === -1 ? PREFERRED_EDITORS.length : index;
}

/** "maxRequestsPerCrawl" → "Max requests per crawl". */
function humanize(key: string): string {
  const words = key.replace(/[_-]+/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
