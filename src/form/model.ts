/**
 * Input schema → form model: what the input form shows, field by field, in the order and sections of the schema
 * (docs/file-formats.md#input-schema). Pure data, no `vscode` and no DOM: the extension host builds it, the webview renders it, the
 * unit tests and the benchmark check it. The model never decides whether an input is valid — the validator does.
 */

export type EditorKind =
  | 'textfield'
  | 'textarea'
  | 'javascript'
  | 'python'
  | 'select'
  | 'datepicker'
  | 'fileupload'
  | 'hidden'
  | 'number'
  | 'checkbox'
  | 'json'
  | 'stringList'
  | 'requestListSources'
  | 'pseudoUrls'
  | 'globs'
  | 'keyValue'
  | 'proxy'
  | 'schemaBased'
  | 'resourcePicker';

export type DateType = 'absolute' | 'relative' | 'absoluteOrRelative';
export type ResourceType = 'dataset' | 'keyValueStore' | 'requestQueue' | 'mcpConnector';

export interface SelectOption {
  value: string;
  title: string;
}

export interface FieldModel {
  key: string;
  /** JSON type(s) of the value; an array for array-of-types fields. */
  type: string | string[];
  editor: EditorKind;
  title: string;
  /** The schema's description: the platform's small HTML subset, sanitized by whoever renders it. */
  description?: string;
  required: boolean;
  secret: boolean;
  nullable: boolean;
  /** Fills the form (never applied at run time). */
  prefill?: unknown;
  /** Applied at run time when the input omits the field; the form only shows it as a placeholder. */
  default?: unknown;
  /** Text shown in an empty field: the default, else the example. */
  placeholder?: string;
  /** select: the allowed values (enum) or the suggestions (enumSuggestedValues, with `allowCustom`). */
  options?: SelectOption[];
  allowCustom?: boolean;
  /** select on an array: several values can be chosen. */
  multiple?: boolean;
  dateType?: DateType;
  minimum?: number;
  maximum?: number;
  unit?: string;
  integer?: boolean;
  minLength?: number;
  maxLength?: number;
  groupCaption?: string;
  groupDescription?: string;
  resourceType?: ResourceType;
  placeholderKey?: string;
  placeholderValue?: string;
  /** schemaBased: the sub-form's fields; `itemsOfArray` when the value is an array of such objects. */
  fields?: FieldModel[];
  itemsOfArray?: boolean;
}

export interface SectionModel {
  /** Undefined for the fields before the first `sectionCaption`. */
  caption?: string;
  description?: string;
  fields: FieldModel[];
}

export interface FormModel {
  title: string;
  description?: string;
  sections: SectionModel[];
}

const EDITORS: ReadonlySet<string> = new Set<EditorKind>([
  'textfield', 'textarea', 'javascript', 'python', 'select', 'datepicker', 'fileupload', 'hidden', 'number', 'checkbox',
  'json', 'stringList', 'requestListSources', 'pseudoUrls', 'globs', 'keyValue', 'proxy', 'schemaBased', 'resourcePicker',
]);

type JsonObject = Record<string, unknown>;

/** Builds the form of an input schema. Tolerant: a schema being typed still yields a usable form. */
export function buildFormModel(schema: unknown): FormModel {
  const root = asObject(schema);
  const sections: SectionModel[] = [];
  let current: SectionModel = { fields: [] };
  for (const field of buildFields(root)) {
    const property = asObject(asObject(root.properties)[field.key]);
    const caption = stringOrUndefined(property.sectionCaption);
    if (caption !== undefined) {
      if (current.fields.length > 0 || current.caption !== undefined) sections.push(current);
      current = { caption, description: stringOrUndefined(property.sectionDescription), fields: [] };
    }
    current.fields.push(field);
  }
  if (current.fields.length > 0 || current.caption !== undefined) sections.push(current);
  return { title: stringOrUndefined(root.title) ?? 'Input', description: stringOrUndefined(root.description), sections };
}

/** Every field of a form, sections flattened, in order. */
export function formFields(model: FormModel): FieldModel[] {
  return model.sections.flatMap((section) => section.fields);
}

/** Fields of an object schema (the input schema itself, or a schemaBased object's `properties`). */
function buildFields(objectSchema: JsonObject): FieldModel[] {
  const required = new Set(Array.isArray(objectSchema.required) ? objectSchema.required.filter((k) => typeof k === 'string') : []);
  return Object.entries(asObject(objectSchema.properties)).map(([key, value]) => buildField(key, asObject(value), required.has(key)));
}

function buildField(key: string, property: JsonObject, required: boolean): FieldModel {
  const type = Array.isArray(property.type) ? property.type.map(String) : stringOrUndefined(property.type) ?? 'string';
  const editor = resolveEditor(type, property);
  const field: FieldModel = {
    key,
    type,
    editor,
    title: stringOrUndefined(property.title) ?? key,
    description: stringOrUndefined(property.description),
    required,
    secret: property.isSecret === true,
    nullable: property.nullable === true,
  };
  if ('prefill' in property) field.prefill = property.prefill;
  if ('default' in property) field.default = property.default;
  const shown = 'default' in property ? property.default : property.example;
  if (shown !== undefined && shown !== null) field.placeholder = typeof shown === 'string' ? shown : JSON.stringify(shown);

  copyNumber(property, field, 'minimum');
  copyNumber(property, field, 'maximum');
  copyNumber(property, field, 'minLength');
  copyNumber(property, field, 'maxLength');
  copyString(property, field, 'unit');
  copyString(property, field, 'groupCaption');
  copyString(property, field, 'groupDescription');
  copyString(property, field, 'placeholderKey');
  copyString(property, field, 'placeholderValue');
  if (type === 'integer') field.integer = true;
  if (editor === 'datepicker') field.dateType = (stringOrUndefined(property.dateType) as DateType | undefined) ?? 'absolute';
  if (typeof property.resourceType === 'string') field.resourceType = property.resourceType as ResourceType;

  if (editor === 'select') {
    // On an array the choices live in `items` (docs/file-formats.md#input-schema: an array with the select editor).
    const source = type === 'array' ? asObject(property.items) : property;
    field.multiple = type === 'array';
    const values = Array.isArray(source.enum) ? source.enum : Array.isArray(source.enumSuggestedValues) ? source.enumSuggestedValues : [];
    const titles = Array.isArray(source.enumTitles) ? source.enumTitles : [];
    field.options = values.map((value, index) => ({
      value: String(value),
      title: typeof titles[index] === 'string' ? (titles[index] as string) : String(value),
    }));
    field.allowCustom = !Array.isArray(source.enum);
  }
  if (editor === 'schemaBased') {
    field.itemsOfArray = type === 'array';
    field.fields = buildFields(type === 'array' ? asObject(property.items) : property);
  }
  return field;
}

/** The editor the platform uses: the declared one when it is known, else the type's usual editor. */
function resolveEditor(type: string | string[], property: JsonObject): EditorKind {
  const declared = property.editor;
  if (typeof declared === 'string' && EDITORS.has(declared)) return declared as EditorKind;
  if (Array.isArray(type)) return 'json';
  switch (type) {
    case 'string':
      if (Array.isArray(property.enum)) return 'select';
      if (typeof property.resourceType === 'string') return 'resourcePicker';
      return 'textfield';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'checkbox';
    default:
      return 'json';
  }
}

function copyNumber<K extends 'minimum' | 'maximum' | 'minLength' | 'maxLength'>(from: JsonObject, to: FieldModel, key: K): void {
  if (typeof from[key] === 'number') to[key] = from[key] as number;
}

function copyString<K extends 'unit' | 'groupCaption' | 'groupDescription' | 'placeholderKey' | 'placeholderValue'>(
  from: JsonObject,
  to: FieldModel,
  key: K,
): void {
  if (typeof from[key] === 'string') to[key] = from[key] as string;
}

function asObject(value: unknown): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
