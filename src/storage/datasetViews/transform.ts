/**
 * One source item through a view's transformation, with the semantics of the platform's GET /datasets/:id/items,
 * applied in this order: unwind → flatten → fields/omit → skipHidden → skipEmpty. `desc` and `limit` act on the
 * sequence of items, not on one item (see readViewPage).
 */
import { isPlainObject } from '../../validator/json';
import { ERROR_KEY, ViewTransformation } from './types';

type Row = Record<string, unknown>;

export function transformItem(item: unknown, transformation: ViewTransformation): Row[] {
  if (!isPlainObject(item)) return [{ [ERROR_KEY]: `The item is ${describeNonObject(item)}, not an object.` }];
  let rows: Row[] = [item];
  for (const field of transformation.unwind ?? []) rows = rows.flatMap((row) => unwind(row, field));
  const skipEmpty = transformation.skipEmpty || transformation.clean;
  return rows.map((row) => project(row, transformation)).filter((row) => !skipEmpty || Object.keys(row).length > 0);
}

/**
 * flatten → fields/omit → skipHidden on one row. `fields` and `omit` name keys exactly, or a flattened object for
 * all the keys flattening made of it (`address` selects `address.city` once `address` is flattened).
 */
function project(row: Row, transformation: ViewTransformation): Row {
  const flattenedKeys = new Set<string>();
  for (const field of transformation.flatten ?? []) row = flatten(row, field, flattenedKeys);
  const selects = (name: string, key: string) => key === name || (flattenedKeys.has(key) && key.startsWith(`${name}.`));
  let entries = Object.entries(row);
  const { fields, omit } = transformation;
  if (fields?.length) {
    const picked = new Set<string>();
    for (const name of fields) for (const [key] of entries) if (selects(name, key)) picked.add(key);
    entries = [...picked].map((key) => [key, row[key]]);
  }
  if (omit) entries = entries.filter(([key]) => !omit.some((name) => selects(name, key)));
  if (transformation.skipHidden || transformation.clean) entries = entries.filter(([key]) => !key.startsWith('#'));
  return Object.fromEntries(entries);
}

/**
 * An array: one row per element, merged into the row in the field's place (a scalar element stays under the field's
 * name, as it cannot be merged); an empty array gives no row. An object: merged. Anything else: the row as it is.
 * Merged keys win over the row's own.
 */
function unwind(row: Row, field: string): Row[] {
  const value = row[field];
  if (Array.isArray(value)) return value.map((element) => (isPlainObject(element) ? mergeAt(row, field, element) : { ...row, [field]: element }));
  if (isPlainObject(value)) return [mergeAt(row, field, value)];
  return [row];
}

function mergeAt(row: Row, field: string, merged: Row): Row {
  const result: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === field) Object.assign(result, merged);
    else if (!(key in merged)) result[key] = value;
  }
  return result;
}

/** A nested object under `field` becomes `field.sub` keys (recursively) in the field's place; other values stay. */
function flatten(row: Row, field: string, flattenedKeys: Set<string>): Row {
  if (!isPlainObject(row[field]) || Object.keys(row[field] as Row).length === 0) return row;
  const result: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === field) flattenInto(result, key, value as Row, flattenedKeys);
    else result[key] = value;
  }
  return result;
}

function flattenInto(result: Row, prefix: string, object: Row, flattenedKeys: Set<string>): void {
  for (const [key, value] of Object.entries(object)) {
    const name = `${prefix}.${key}`;
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      flattenInto(result, name, value, flattenedKeys);
    } else {
      result[name] = value;
      flattenedKeys.add(name);
    }
  }
}

function describeNonObject(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type} (${String(value).slice(0, 40)})`;
}
