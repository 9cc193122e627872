/**
 * What an export of a dataset reads through one of its views: the rows the view's transformation makes of the items,
 * in the view's order (`desc`) and up to its `limit`, one item at a time (the platform's `?view=` on dataset items).
 */
import type { ItemSource } from '../export/datasetExport';
import type { StorageReader } from '../storages';
import { transformItem } from './transform';
import type { DatasetView } from './types';

export function viewRows(reader: StorageReader, datasetId: string, view: DatasetView | undefined): ItemSource {
  if (!view) return () => reader.datasetItems(datasetId);
  const { transformation } = view;
  return function* () {
    for (const item of reader.datasetItems(datasetId, { desc: transformation.desc, limit: transformation.limit })) yield* transformItem(item, transformation);
  };
}
