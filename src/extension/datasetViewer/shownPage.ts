/**
 * A page of the dataset views model as the webview gets it: every cell rendered to text (formatCell), plus the URL
 * of a link or thumbnail only when it is safe to use, and the full value of arrays and objects. Pure: no `vscode`.
 */
import { DatasetView, ERROR_KEY, formatCell, ViewColumn, ViewPage } from '../../engine/datasetViews';
import { ShownCell, ShownPage } from '../../webviewProtocols/datasetViewer';

/** Tooltips and expanded cells show at most this much of an array or object. */
export const DETAIL_MAX_CHARS = 4000;

const IMAGE_URL = /^(https?:\/\/|data:image\/)/i;

/** Only web links leave VS Code: an item could hold command:, file: or javascript: URLs. */
export function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/** An unreadable item's row shows its error across the whole row, so the model's `#error` column is left out. */
export function shownPage(page: ViewPage, view: DatasetView | undefined): ShownPage {
  const columns = page.columns.filter((column) => column.key !== ERROR_KEY);
  return {
    viewId: view?.id ?? null,
    component: view?.component ?? 'table',
    total: page.total,
    offset: page.offset,
    limit: page.limit,
    inferred: page.inferred,
    columns,
    rows: page.rows.map(({ itemIndex, values }) => {
      if (ERROR_KEY in values) return { itemIndex, error: String(values[ERROR_KEY]), cells: [] };
      return { itemIndex, cells: columns.map((column) => shownCell(values[column.key], column)) };
    }),
  };
}

export function shownCell(value: unknown, column: ViewColumn): ShownCell {
  const cell: ShownCell = { text: formatCell(value, column.format) };
  if (typeof value === 'string' && column.format === 'link' && isWebUrl(value)) cell.href = value;
  if (typeof value === 'string' && column.format === 'image' && IMAGE_URL.test(value)) cell.src = value;
  if (value !== null && typeof value === 'object') {
    const full = JSON.stringify(value, null, 2);
    cell.detail = full.length > DETAIL_MAX_CHARS ? `${full.slice(0, DETAIL_MAX_CHARS)}\n…` : full;
  }
  return cell;
}

