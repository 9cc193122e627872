/**
 * The platform's flattened view of items, shared by the column-based exports (CSV, HTML, xlsx): nested objects and
 * arrays become `parent/child` and `list/0` keys. A module of its own so that the xlsx writer's bundle
 * (dist/xlsxExport.js) does not pull in the other formats.
 */

/** Nested objects and arrays become `parent/child` and `list/0` keys, as the platform's CSV export names them. */
export function flattenItem(value: unknown, prefix = '', into: Record<string, unknown> = {}): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0)) {
    for (const [key, child] of Object.entries(value)) flattenItem(child, prefix ? `${prefix}/${key}` : key, into);
  } else if (prefix) {
    into[prefix] = value;
  }
  return into;
}

/** The union of flattened keys, in order of first appearance. */
export function collectColumns(items: Iterable<unknown>): string[] {
  const columns = new Set<string>();
  for (const item of items) for (const key of Object.keys(flattenItem(item))) columns.add(key);
  return [...columns];
}

/** A flattened value as cell text: empty for null and undefined, JSON for what is left nested (`{}`, `[]`). */
export function scalarText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
