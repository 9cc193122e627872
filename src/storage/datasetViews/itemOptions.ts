/**
 * The platform's options of dataset items (GET /datasets/:id/items and its exports): `fields`, `omit`, `unwind`,
 * `flatten`, `clean`, `skipHidden`, `skipEmpty`, `desc`, `offset` and `limit`, over a view of the dataset schema or the
 * raw items. One reading of them and one meaning for the local API, `greenroom items` and the viewer's Export…:
 * - text is read as the API reads its query: lists comma-separated, flags `true`/`false`/`1`/`0`, counts whole numbers;
 * - the options go over the view's transformation: an option given wins, the limit is the smaller of both;
 * - `offset`, `limit` and `desc` choose stored items, before unwinding and skipping (so fewer rows than `limit` may
 *   come out, and the rows one item unwinds to keep their order under `desc`), as the platform pages.
 */
import type { ItemSource } from '../export/datasetExport';
import type { StorageReader } from '../storages';
import { transformItem } from './transform';
import { DatasetView, ITEM_COUNT_OPTIONS, ITEM_FLAG_OPTIONS, ITEM_LIST_OPTIONS, ItemOptionName, ItemOptions } from './types';

/** An option value that cannot be read; the message names the option as the caller calls it. */
export class ItemOptionError extends Error {}

/** A comma-separated list of names, trimmed, empty parts left out; undefined when nothing is left. */
export function splitList(text: string): string[] | undefined {
  const names = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  return names.length ? names : undefined;
}

/** `true`/`1` or `false`/`0`, as the platform reads a boolean parameter; undefined for anything else. */
export function parseFlag(text: string): boolean | undefined {
  return text === '1' || text === 'true' ? true : text === '0' || text === 'false' ? false : undefined;
}

/**
 * The options `read` gives (text, or a flag already read as a boolean; undefined or empty text: not given). A `limit`
 * of 0 is no limit, as the API reads it. `label` names an option in errors (`Parameter "offset"`, `--offset`).
 */
export function parseItemOptions(read: (name: ItemOptionName) => string | boolean | undefined, label: (name: ItemOptionName) => string = (name) => name): ItemOptions {
  const options: ItemOptions = {};
  const given = (name: ItemOptionName) => {
    const value = read(name);
    return value === '' ? undefined : value;
  };
  for (const name of ITEM_LIST_OPTIONS) {
    const value = given(name);
    if (typeof value === 'boolean') throw new ItemOptionError(`${label(name)} needs a comma-separated list of field names`);
    const names = value === undefined ? undefined : splitList(value);
    if (names) options[name] = names;
  }
  for (const name of ITEM_FLAG_OPTIONS) {
    const value = given(name);
    const flag = typeof value === 'string' ? parseFlag(value) : value;
    if (typeof value === 'string' && flag === undefined) throw new ItemOptionError(`${label(name)} must be true, false, 1 or 0, got "${value}"`);
    if (flag !== undefined) options[name] = flag;
  }
  for (const name of ITEM_COUNT_OPTIONS) {
    const value = given(name);
    if (value === undefined) continue;
    const text = String(value).trim();
    if (typeof value === 'boolean' || !/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
      throw new ItemOptionError(`${label(name)} must be a whole number ≥ 0, got "${String(value)}"`);
    }
    const count = Number(text);
    if (name === 'offset') options.offset = count;
    else if (count > 0) options.limit = count;
  }
  return options;
}

/** The view's transformation with `options` over it: an option given wins, the limit is the smaller of both. */
export function effectiveOptions(view: DatasetView | undefined, options: ItemOptions = {}): ItemOptions {
  const merged: ItemOptions = { ...view?.transformation };
  for (const [name, value] of Object.entries(options) as [keyof ItemOptions, ItemOptions[keyof ItemOptions]][]) {
    if (value !== undefined) (merged as Record<string, unknown>)[name] = value;
  }
  const viewLimit = view?.transformation.limit;
  if (viewLimit !== undefined && options.limit !== undefined) merged.limit = Math.min(viewLimit, options.limit);
  return merged;
}

/** Which stored items a read with `options` covers in a dataset of `total` items (the API's pagination headers). */
export function itemsWindow(options: ItemOptions, total: number): { offset: number; limit: number | undefined; desc: boolean; count: number } {
  const offset = options.offset ?? 0;
  const { limit } = options;
  const count = Math.max(0, Math.min(total, limit === undefined ? Infinity : offset + limit) - offset);
  return { offset, limit, desc: options.desc ?? false, count };
}

/**
 * The rows a read of the dataset with `options` over `view` makes, one stored item at a time (called again, it reads
 * again: the column-based exports read twice). Items pass unchanged when nothing but the window is asked for.
 */
export function datasetRows(reader: StorageReader, datasetId: string, view: DatasetView | undefined, options: ItemOptions = {}): ItemSource {
  const effective = effectiveOptions(view, options);
  const { offset, limit, desc } = effective;
  const transforms = Object.keys(effective).some((key) => key !== 'offset' && key !== 'limit' && key !== 'desc');
  return function* () {
    for (const item of reader.datasetItems(datasetId, { offset, limit, desc })) {
      if (transforms) yield* transformItem(item, effective);
      else yield item;
    }
  };
}
