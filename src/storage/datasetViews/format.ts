/**
 * Cell text and column format inference for the dataset viewer. The extension host renders cells (shownPage.ts) before
 * a page goes to the webview, so this stays in the storage library: no DOM, no `vscode`.
 */
import { isPlainObject } from '../../validator/json';
import { DisplayFormat } from './types';

/** Longest text an array or object cell gets before it is cut with `…`. */
const MAX_CELL_CHARS = 200;

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 20 });

/**
 * A value as one line of text for a cell of `format`. Missing values are empty; a value that does not fit its format
 * (a string in a number column) is shown as it is rather than hidden.
 */
export function formatCell(value: unknown, format: DisplayFormat): string {
  if (value === undefined || value === null) return '';
  switch (format) {
    case 'number':
      if (typeof value === 'number') return numberFormat.format(value);
      break;
    case 'boolean':
      if (typeof value === 'boolean') return value ? '✓' : '✗';
      break;
    case 'date':
      // Strings are shown as given (already ISO in practice); numbers are epoch milliseconds.
      if (typeof value === 'number' && Number.isFinite(new Date(value).getTime())) return new Date(value).toISOString();
      break;
  }
  if (typeof value === 'object') return truncate(JSON.stringify(value));
  return String(value);
}

function truncate(text: string): string {
  return text.length > MAX_CELL_CHARS ? `${text.slice(0, MAX_CELL_CHARS - 1)}…` : text;
}

const URL_PATTERN = /^https?:\/\/\S+$/i;
const IMAGE_URL_PATTERN = /^https?:\/\/\S+\.(?:png|jpe?g|gif|webp|svg|avif|bmp|ico)(?:[?#]\S*)?$/i;
const ISO_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** The format every present value of a column fits (missing values are ignored); `text` when they disagree. */
export function inferFormat(values: Iterable<unknown>): DisplayFormat {
  let format: DisplayFormat | undefined;
  for (const value of values) {
    if (value === undefined || value === null) continue;
    const own = formatOf(value);
    if (format === undefined || format === own) format = own;
    else if (isLinkLike(format) && isLinkLike(own)) format = 'link'; // images and other links together: links
    else return 'text';
  }
  return format ?? 'text';
}

function isLinkLike(format: DisplayFormat): boolean {
  return format === 'link' || format === 'image';
}

function formatOf(value: unknown): DisplayFormat {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'array';
  if (isPlainObject(value)) return 'object';
  if (typeof value === 'string') {
    if (IMAGE_URL_PATTERN.test(value)) return 'image';
    if (URL_PATTERN.test(value)) return 'link';
    if (ISO_DATE_PATTERN.test(value) && Number.isFinite(Date.parse(value))) return 'date';
  }
  return 'text';
}
