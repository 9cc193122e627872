/**
 * One page of a dataset read through a view. Items are addressed by position (datasetPage computes file names), so
 * the first page, the last page and `desc` pages of a 1,000,000-item dataset cost the same: the count is probed
 * (fastItemCount), never listed, and only the page's item files are read.
 */
import { DatasetItemCache, datasetPage, readDatasetItem } from '../datasetPages';
import type { StorageFolder } from '../files';
import { fastItemCount } from '../itemCount';
import { inferFormat } from './format';
import { transformItem } from './transform';
import { DatasetView, ERROR_KEY, ViewColumn, ViewPage, ViewRow } from './types';

/** `items`: a cache kept between reads of a page that is shown again and again (the viewer following a run). */
export function readViewPage(dataset: StorageFolder, view: DatasetView | undefined, offset: number, limit: number, items?: DatasetItemCache): ViewPage {
  for (const [name, value] of [['offset', offset], ['limit', limit]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`Dataset page ${name} must be a whole number ≥ 0, got ${value}.`);
  }
  const transformation = view?.transformation ?? {};
  const count = fastItemCount(dataset);
  const total = viewTotal(view, count);
  const start = Math.min(offset, total);
  const end = Math.min(offset + limit, total);
  // `desc` numbers view positions from the last item: positions [start, end) are items [count - end, count - start).
  const files = end > start ? datasetPage(dataset, transformation.desc ? count - end : start, end - start) : [];
  if (transformation.desc) files.reverse();

  const rows: ViewRow[] = files.flatMap(({ index, name }) => {
    let item: unknown;
    try {
      item = items ? items.read(dataset, name, index) : readDatasetItem(dataset, name, index);
    } catch (error) {
      return [{ itemIndex: index, values: { [ERROR_KEY]: (error as Error).message } }];
    }
    return transformItem(item, transformation).map((values) => ({ itemIndex: index, values }));
  });
  items?.retain();
  const { columns, inferred } = viewColumns(view, rows);
  return { total, offset, limit, columns, rows, inferred };
}

/** How many items a view of a dataset of `count` items shows in all (its `limit` caps it). */
export function viewTotal(view: DatasetView | undefined, count: number): number {
  const limit = view?.transformation.limit;
  return limit === undefined ? count : Math.min(count, limit);
}

function viewColumns(view: DatasetView | undefined, rows: ViewRow[]): { columns: ViewColumn[]; inferred: boolean } {
  const column = (key: string, label = key, format = inferFormat(rows.map((row) => row.values[key]))): ViewColumn => ({ key, label, format });
  const properties = Object.entries(view?.properties ?? {});
  const fields = view?.transformation.fields;
  let columns: ViewColumn[];
  if (properties.length) columns = properties.map(([key, property]) => column(key, property.label, property.format));
  else if (fields?.length) columns = fields.map((key) => column(key));
  else {
    const keys = new Set<string>();
    for (const row of rows) for (const key of Object.keys(row.values)) keys.add(key);
    return { columns: [...keys].map((key) => column(key)), inferred: true };
  }
  // Declared columns would hide why an unreadable item's row is empty.
  if (rows.some((row) => ERROR_KEY in row.values) && !columns.some((c) => c.key === ERROR_KEY)) columns.push(column(ERROR_KEY, 'Error', 'text'));
  return { columns, inferred: false };
}
