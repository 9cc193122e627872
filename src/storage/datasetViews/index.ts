/**
 * Dataset views (docs/file-formats.md#dataset-schema): the views of an Actor's dataset schema, the platform's item transformations, and
 * pages of a dataset read through a view, fast at 1,000,000 items, and the platform's item options (itemOptions.ts) every read of
 * items for an export or the API goes through. No `vscode`, no DOM.
 */
export { DISPLAY_FORMATS, ERROR_KEY, ITEM_OPTIONS } from './types';
export type { DatasetView, DisplayFormat, ItemOptionName, ItemOptions, ViewColumn, ViewPage, ViewRow, ViewTransformation } from './types';
export { readDatasetView, readDatasetViews } from './schema';
export { transformItem } from './transform';
export { readViewPage, viewTotal } from './page';
export { datasetRows, effectiveOptions, ItemOptionError, itemsWindow, parseFlag, parseItemOptions, splitList } from './itemOptions';
export { formatCell, inferFormat } from './format';
