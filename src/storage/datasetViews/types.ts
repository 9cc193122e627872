/** The shapes of the dataset views model (docs/file-formats.md#dataset-schema): what a view is, and what a page read through it gives. */

export const DISPLAY_FORMATS = ['text', 'number', 'date', 'link', 'boolean', 'image', 'array', 'object'] as const;
export type DisplayFormat = (typeof DISPLAY_FORMATS)[number];

/** A view's `transformation`, as the platform's GET /datasets/:id/items takes it. */
export interface ViewTransformation {
  fields?: string[];
  omit?: string[];
  unwind?: string[];
  flatten?: string[];
  clean?: boolean;
  desc?: boolean;
  skipHidden?: boolean;
  skipEmpty?: boolean;
  limit?: number;
}

/** The platform's options of a read of dataset items: a transformation, and where to start (itemOptions.ts). */
export interface ItemOptions extends ViewTransformation {
  /** Stored items skipped first (from the end with `desc`). */
  offset?: number;
}

export const ITEM_LIST_OPTIONS = ['fields', 'omit', 'unwind', 'flatten'] as const;
export const ITEM_FLAG_OPTIONS = ['clean', 'skipHidden', 'skipEmpty', 'desc'] as const;
export const ITEM_COUNT_OPTIONS = ['offset', 'limit'] as const;
export const ITEM_OPTIONS = [...ITEM_LIST_OPTIONS, ...ITEM_FLAG_OPTIONS, ...ITEM_COUNT_OPTIONS] as const;
export type ItemOptionName = (typeof ITEM_OPTIONS)[number];

export interface DatasetView {
  id: string;
  title: string;
  transformation: ViewTransformation;
  component: 'table' | 'grid';
  /** The view's `display.properties`, keyed by (possibly flattened, `a.b`) field name, in file order. */
  properties: Record<string, { label?: string; format?: DisplayFormat }>;
}

export interface ViewColumn {
  key: string;
  label: string;
  format: DisplayFormat;
}

export interface ViewRow {
  /** 0-based position of the source item in the dataset. */
  itemIndex: number;
  values: Record<string, unknown>;
}

export interface ViewPage {
  /** Source items the view covers: the dataset's items, capped by the transformation's `limit`. */
  total: number;
  /** Over source items (the platform pages before unwinding), as requested. */
  offset: number;
  limit: number;
  /**
   * The display properties' order when the view has some, else the transformation's `fields` order, else the union
   * of the keys of this page's rows in first-seen order. A `#error` column is added when an item could not be read.
   */
  columns: ViewColumn[];
  rows: ViewRow[];
  /** True when the columns were inferred from the rows (no view, or a view without fields or display properties). */
  inferred: boolean;
}

/** The key of the one value a row holds when its item could not be read. */
export const ERROR_KEY = '#error';
