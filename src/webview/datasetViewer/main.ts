/**
 * The dataset viewer webview: view tabs, the page as a table (or a card grid for `grid` views), paging controls.
 * It draws what the host sends (cell texts already formatted) and asks the host for pages, items and links; item
 * values only ever become text nodes and attribute values, never HTML. A request queue's listing is the same page
 * without view tabs and export, its rows requests.
 */
import './styles.css';
import type { ItemOptionName } from '../../storage/datasetViews/types';
import { EXPORT_FORMATS, type ExportFormat } from '../../storage/export/formats';
import { EXPORT_OPTION_LABELS, isRequestQueueLocation } from '../../webviewProtocols/datasetViewer';
import type {
  ExportOptionTexts,
  HostMessage,
  PageRequest,
  ShownCell,
  ShownColumn,
  ShownPage,
  ShownRow,
  ViewerSnapshot,
  ViewerState,
  ViewerTestAction,
  ViewTab,
  WebviewMessage,
} from '../../webviewProtocols/datasetViewer';
import { h } from '../dom';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): ViewerState | undefined;
  setState(state: ViewerState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

type ShowMessage = Extract<HostMessage, { type: 'show' }>;

const vscode = acquireVsCodeApi();
const root = document.getElementById('viewer')!;
const PAGE_SIZES = [20, 50, 100, 500];
const DEFAULT_PAGE_SIZE = 100;
/** Text longer than this gets its full value as a tooltip (the cell cuts it with an ellipsis). */
const LONG_TEXT_CHARS = 40;
const ALL_FIELDS: ViewTab = { id: '', title: 'All fields' };

let state: ViewerState = vscode.getState() ?? { offset: 0, limit: DEFAULT_PAGE_SIZE };
let shown: ShowMessage | undefined;
let settled = false;
/** When the page being waited for was asked for, and how long the last one took to arrive and draw (for the tests). */
let requestedAt = 0;
let roundTripMs = 0;
/** The item "Go to item #" asked for: marked and focused once its page arrives. */
let targetItem: number | undefined;
/** Expanded array/object cells (item:column), kept open across the refreshes of a running Actor. */
let expandedCells = new Set<string>();
/** How many times the toolbar was built (the tests check a refresh on disk keeps it). */
let pagerGeneration = 0;

/** What the rows are: a dataset's items, or a request queue's requests. */
function rowNoun(): { one: string; many: string } {
  return shown && isRequestQueueLocation(shown.location) ? { one: 'request', many: 'Requests' } : { one: 'item', many: 'Items' };
}

function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

/** Asks the host for a page; the state is saved at once so a reload comes back to it. */
function request(change: Partial<PageRequest>): void {
  state = { ...state, ...change };
  settled = false;
  requestedAt = performance.now();
  root.querySelector('main')?.setAttribute('aria-busy', 'true');
  vscode.setState(state);
  post({ type: 'request', viewId: state.viewId, offset: state.offset, limit: state.limit });
}

// ---- rendering -------------------------------------------------------------------------------------------------

function render(message: ShowMessage, previous: ShowMessage | undefined): void {
  // A refresh while a run adds items changes the counts and maybe the rows: the header (title, tabs, toolbar) stays
  // the same elements, so a control being clicked or focused is not swapped away; only what changed is redrawn.
  const { page } = message;
  const sameFrame = !!previous && frameKey(previous) === frameKey(message);
  const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.focusKey;
  const oldMain = root.querySelector('main');
  if (sameFrame && page && oldMain) {
    updatePager(root.querySelector<HTMLElement>('.pager')!, page);
    if (bodyKey(previous!.page!) !== bodyKey(page)) {
      keepExpandedCells();
      oldMain.replaceChildren(pageBody(message, page));
      if (previous!.page!.offset !== page.offset) oldMain.scrollTo({ top: 0, left: 0 });
    } else {
      updateCaptions(message, page);
    }
    oldMain.setAttribute('aria-busy', 'false');
    restoreFocus(focusKey);
    return;
  }

  // Another view, the schema changed, or a problem: everything is drawn anew; the focused control gets its focus
  // back by its key, and a refresh of the same page keeps the scroll position.
  const samePage = previous?.page && page && previous.page.viewId === page.viewId && previous.page.offset === page.offset;
  const scroll = oldMain && samePage ? { top: oldMain.scrollTop, left: oldMain.scrollLeft } : undefined;
  keepExpandedCells();
  const parts: HTMLElement[] = [h('h1', {}, message.location.title)];
  if (message.schemaProblem) {
    parts.push(h('div', { class: 'banner', role: 'alert' }, h('strong', {}, 'The dataset schema cannot be used, so all fields are shown raw. '), message.schemaProblem));
  }
  if (message.problem || !page) {
    parts.push(h('p', { class: 'problem', role: 'alert' }, message.problem ?? 'Nothing to show.'));
    root.replaceChildren(h('header', {}, ...parts));
    return;
  }
  const tabs = viewTabs(message);
  const selected = selectedTab(message, page);
  const listsRequests = isRequestQueueLocation(message.location);
  parts.push(...(listsRequests ? [] : [tabList(tabs, selected)]), pager(page, !listsRequests));
  const main = listsRequests
    ? h('main', { 'aria-busy': 'false' }, pageBody(message, page))
    : h('main', { role: 'tabpanel', 'aria-labelledby': tabId(tabs.indexOf(selected)), 'aria-busy': 'false' }, pageBody(message, page));
  root.replaceChildren(h('header', {}, ...parts), main);
  if (scroll) main.scrollTo(scroll);
  restoreFocus(focusKey);
}

/** What the header shows besides the counts: when it is unchanged, a refresh keeps the header's elements. */
function frameKey(message: ShowMessage): string {
  const { page } = message;
  return JSON.stringify([message.location.title, message.schemaProblem, message.problem, message.views, page ? [page.viewId, page.limit] : null]);
}

/** What the table (or grid) shows besides the counts in its caption. */
function bodyKey(page: ShownPage): string {
  return JSON.stringify([page.component, page.offset, page.columns, page.rows]);
}

function viewTabs(message: ShowMessage): ViewTab[] {
  return [...message.views, ALL_FIELDS];
}

function selectedTab(message: ShowMessage, page: ShownPage): ViewTab {
  return viewTabs(message).find((tab) => tab.id === (page.viewId ?? '')) ?? ALL_FIELDS;
}

function pageBody(message: ShowMessage, page: ShownPage): HTMLElement {
  const selected = selectedTab(message, page);
  return page.component === 'grid' ? cardGrid(page, selected) : table(page, selected);
}

/** The caption says how many items there are: a refresh that only adds items past the page changes just that. */
function updateCaptions(message: ShowMessage, page: ShownPage): void {
  const label = captionText(selectedTab(message, page), page);
  const caption = root.querySelector('main caption');
  if (caption && caption.textContent !== label) caption.textContent = label;
  root.querySelector('main section')?.setAttribute('aria-label', label);
}

/** Array/object cells the person expanded stay expanded across redraws. */
function keepExpandedCells(): void {
  expandedCells = new Set([...root.querySelectorAll<HTMLElement>('details[open]')].map((details) => details.dataset.cell!));
}

/** After a redraw: the item "Go to item #" asked for is marked and focused, else the focused control gets its focus back. */
function restoreFocus(focusKey: string | undefined): void {
  const target = targetItem === undefined ? undefined : root.querySelector<HTMLElement>(`[data-item="${targetItem}"]`);
  if (target) {
    target.classList.add('target');
    target.scrollIntoView({ block: 'center' });
    target.querySelector<HTMLElement>('.open-item')?.focus();
  } else if (focusKey && document.activeElement?.getAttribute('data-focus-key') !== focusKey) {
    root.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
  }
  targetItem = undefined;
}

/** By position: view ids are schema keys and may hold anything, ids and selectors may not. */
function tabId(index: number): string {
  return `view-tab-${index}`;
}

/** The views as tabs (arrow keys move between them, as in VS Code's own tab lists). */
function tabList(tabs: ViewTab[], selected: ViewTab): HTMLElement {
  const buttons = tabs.map((tab, index) => {
    const isSelected = tab === selected;
    const button = h('button', { type: 'button', role: 'tab', id: tabId(index), 'aria-selected': String(isSelected), tabindex: isSelected ? 0 : -1, 'data-focus-key': tabId(index) }, tab.title);
    button.addEventListener('click', () => selectView(tab));
    return button;
  });
  const list = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Dataset views' }, ...buttons);
  list.addEventListener('keydown', (event) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    const next = buttons[(buttons.indexOf(event.target as HTMLButtonElement) + step + buttons.length) % buttons.length];
    next.focus();
    next.click();
    event.preventDefault();
  });
  return list;
}

function selectView(tab: ViewTab): void {
  request({ viewId: tab === ALL_FIELDS ? null : tab.id, offset: 0 });
}

function rangeText(page: ShownPage): string {
  const { many } = rowNoun();
  if (page.total === 0) return `No ${many.toLowerCase()}`;
  const first = Math.min(page.offset + 1, page.total);
  const last = Math.min(page.offset + page.limit, page.total);
  return `${many} ${first.toLocaleString('en-US')}–${last.toLocaleString('en-US')} of ${page.total.toLocaleString('en-US')}`;
}

/** "Overview · items 1–100 of 250"; a request queue has no views: "Requests 1–100 of 120". */
function captionText(view: ViewTab, page: ShownPage): string {
  return shown && isRequestQueueLocation(shown.location) ? rangeText(page) : `${view.title} · ${rangeText(page).toLowerCase()}`;
}

function lastPageOffset(page: ShownPage): number {
  return Math.max(0, Math.floor((page.total - 1) / page.limit) * page.limit);
}

/** The page the toolbar's controls act on: the last one shown (the toolbar outlives the refreshes of a run). */
function shownPageNow(): ShownPage {
  return shown!.page!;
}

function pager(page: ShownPage, exportable: boolean): HTMLElement {
  pagerGeneration++;
  const control = (key: string, text: string, label: string, offset: (page: ShownPage) => number) => {
    const button = h('button', { type: 'button', 'data-control': key, 'data-focus-key': key, 'aria-label': label, title: label }, text);
    button.addEventListener('click', () => request({ offset: offset(shownPageNow()) }));
    return button;
  };

  const size = h('select', { 'data-control': 'page-size', 'data-focus-key': 'page-size', id: 'page-size' });
  for (const option of new Set([...PAGE_SIZES, page.limit])) size.append(h('option', { value: String(option), selected: option === page.limit }, String(option)));
  // A new page size keeps the first item shown on screen.
  size.addEventListener('change', () => {
    const limit = Number(size.value);
    request({ limit, offset: Math.floor(shownPageNow().offset / limit) * limit });
  });

  const goInput = h('input', { type: 'number', min: 1, id: 'go-to-item', 'data-focus-key': 'go-to-item', inputmode: 'numeric' });
  const goTo = h('form', { class: 'go-to', 'data-control': 'go-to' }, h('label', { for: 'go-to-item' }, `Go to ${rowNoun().one} #`), goInput, h('button', { type: 'submit', 'data-focus-key': 'go' }, 'Go'));
  goTo.addEventListener('submit', (event) => {
    event.preventDefault();
    const current = shownPageNow();
    const itemNumber = Math.floor(Number(goInput.value));
    if (!(itemNumber >= 1 && itemNumber <= current.total)) {
      goInput.setCustomValidity(`Enter a number from 1 to ${current.total.toLocaleString('en-US')}.`);
      goInput.reportValidity();
      return;
    }
    goInput.setCustomValidity('');
    targetItem = itemNumber - 1;
    request({ offset: Math.floor((itemNumber - 1) / current.limit) * current.limit });
  });

  const toolbar = h(
    'div',
    { class: 'pager', role: 'toolbar', 'aria-label': 'Pages' },
    control('first', '« First', 'First page', () => 0),
    control('prev', '‹ Previous', 'Previous page', (current) => Math.max(0, current.offset - current.limit)),
    h('span', { class: 'range', role: 'status', 'aria-live': 'polite' }),
    control('next', 'Next ›', 'Next page', (current) => current.offset + current.limit),
    control('last', 'Last »', 'Last page', lastPageOffset),
    h('span', { class: 'page-size' }, h('label', { for: 'page-size' }, 'Per page'), size),
    goTo,
    ...(exportable ? [exportButton()] : []),
    h('span', { class: 'note' }),
  );
  updatePager(toolbar, page);
  return toolbar;
}

/** Sets what the toolbar's controls say and allow for `page`, on the same elements (only what changed is touched). */
function updatePager(toolbar: HTMLElement, page: ShownPage): void {
  const atStart = page.offset === 0;
  const atEnd = page.offset + page.limit >= page.total;
  for (const [key, disabled] of [['first', atStart], ['prev', atStart], ['next', atEnd], ['last', atEnd]] as const) {
    const button = toolbar.querySelector<HTMLButtonElement>(`[data-control="${key}"]`)!;
    if (button.disabled !== disabled) button.disabled = disabled;
  }
  setText(toolbar.querySelector('.range')!, rangeText(page));
  setText(toolbar.querySelector('.note')!, page.inferred ? 'Columns inferred from the items on this page' : '');
  const goInput = toolbar.querySelector<HTMLInputElement>('#go-to-item')!;
  const max = String(Math.max(1, page.total));
  if (goInput.max !== max) goInput.max = max;
}

function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

/** Opens the export dialog for the shown view. */
function exportButton(): HTMLElement {
  const button = h('button', { type: 'button', 'data-control': 'export', 'data-focus-key': 'export', title: 'Export the whole dataset as this view shows it, with the platform\'s export options' }, 'Export…');
  button.addEventListener('click', openExportDialog);
  return button;
}

// ---- the export dialog: the platform's export options over the shown view ---------------------------------------

const TEXT_OPTIONS: { name: ItemOptionName; hint: string }[] = [
  { name: 'fields', hint: 'only these, in this order (comma-separated)' },
  { name: 'omit', hint: 'without these fields' },
  { name: 'unwind', hint: 'one row per array element, merged into the item; objects merged' },
  { name: 'flatten', hint: 'nested objects as a.b fields' },
  { name: 'offset', hint: 'stored items to skip' },
  { name: 'limit', hint: 'at most this many stored items (empty or 0: all)' },
];
const FLAG_OPTIONS: { name: ItemOptionName; hint?: string }[] = [
  { name: 'skipHidden', hint: ' (#fields)' },
  { name: 'skipEmpty' },
  { name: 'clean', hint: ' (both)' },
  { name: 'desc' },
];

/** Built once, outside the redrawn page: what was typed stays between openings. */
const exportDialog = buildExportDialog();

function buildExportDialog(): HTMLDialogElement {
  const format = h('select', { name: 'format', id: 'export-format' }, ...EXPORT_FORMATS.map((f) => h('option', { value: f }, f === 'xlsx' ? 'xlsx (Excel)' : f)));
  const texts = TEXT_OPTIONS.map(({ name, hint }) =>
    h(
      'div',
      { class: 'export-field' },
      h('label', { for: `export-${name}` }, EXPORT_OPTION_LABELS[name]),
      h('input', { type: 'text', name, id: `export-${name}`, inputmode: name === 'offset' || name === 'limit' ? 'numeric' : undefined, 'aria-describedby': `export-${name}-hint`, spellcheck: 'false' }),
      h('span', { class: 'hint', id: `export-${name}-hint` }, hint),
    ),
  );
  const flags = FLAG_OPTIONS.map(({ name, hint }) => h('label', { class: 'export-flag' }, h('input', { type: 'checkbox', name }), EXPORT_OPTION_LABELS[name], hint ? h('span', { class: 'hint' }, hint) : ''));
  const form = h(
    'form',
    { method: 'dialog' },
    h('h2', { id: 'export-title' }, 'Export dataset'),
    h('p', { class: 'export-scope' }),
    h('div', { class: 'export-field' }, h('label', { for: 'export-format' }, 'Format'), format),
    ...texts,
    h('fieldset', {}, h('legend', {}, 'Items'), ...flags),
    h('p', { class: 'hint' }, 'Offset and limit count stored items, before unwinding and skipping, as the platform does. Options given here win over the view’s; the smaller limit counts.'),
    h('p', { class: 'export-problem', role: 'alert' }),
    h('div', { class: 'export-buttons' }, h('button', { type: 'button', 'data-control': 'export-cancel' }, 'Cancel'), h('button', { type: 'submit', class: 'primary', 'data-control': 'export-submit' }, 'Export…')),
  );
  const dialog = h('dialog', { class: 'export-dialog', 'aria-labelledby': 'export-title' }, form);
  form.querySelector('[data-control="export-cancel"]')!.addEventListener('click', () => dialog.close());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const options: ExportOptionTexts = {};
    for (const { name } of TEXT_OPTIONS) options[name] = form.querySelector<HTMLInputElement>(`input[name="${name}"]`)!.value;
    for (const { name } of FLAG_OPTIONS) if (form.querySelector<HTMLInputElement>(`input[name="${name}"]`)!.checked) options[name] = true;
    setText(form.querySelector('.export-problem')!, '');
    post({ type: 'export', format: format.value as ExportFormat, options });
  });
  document.body.append(dialog);
  return dialog;
}

function openExportDialog(): void {
  const page = shown?.page;
  const scope = page && shown ? `Rows of ${page.viewId === null ? 'the raw items (All fields)' : `the view “${selectedTab(shown, page).title}”`}.` : '';
  setText(exportDialog.querySelector('.export-scope')!, scope);
  setText(exportDialog.querySelector('.export-problem')!, '');
  if (!exportDialog.open) exportDialog.showModal();
}

/** The host's answer: a problem keeps the dialog open, showing it, with everything typed; none closes it. */
function showExportResult(problem: string | undefined): void {
  if (problem === undefined) exportDialog.close();
  else setText(exportDialog.querySelector('.export-problem')!, problem);
}

function table(page: ShownPage, view: ViewTab): HTMLElement {
  const head = h('tr', {}, h('th', { scope: 'col', class: 'row-number' }, '#'), ...page.columns.map((column) => h('th', { scope: 'col', class: `format-${column.format}` }, column.label)));
  const rows = page.rows.map((row) => {
    const tr = h('tr', { 'data-item': row.itemIndex }, h('th', { scope: 'row', class: 'row-number' }, openItemButton(row)));
    if (row.error !== undefined) tr.append(h('td', { class: 'item-error', colspan: Math.max(1, page.columns.length) }, row.error));
    else row.cells.forEach((cell, i) => tr.append(h('td', { class: `format-${page.columns[i].format}` }, ...cellContent(cell, page.columns[i], row))));
    tr.addEventListener('click', (event) => openRowOnClick(event, row));
    return tr;
  });
  const caption = h('caption', {}, captionText(view, page));
  return h('table', {}, caption, h('thead', {}, head), h('tbody', {}, ...rows));
}

/** A `grid` view: one card per row, its first image on top, then label and value of every column. */
function cardGrid(page: ShownPage, view: ViewTab): HTMLElement {
  const cards = page.rows.map((row) => {
    const card = h('li', { class: 'card', 'data-item': row.itemIndex }, h('div', { class: 'card-title' }, openItemButton(row)));
    if (row.error !== undefined) {
      card.append(h('p', { class: 'item-error' }, row.error));
    } else {
      const imageIndex = page.columns.findIndex((column, i) => column.format === 'image' && row.cells[i].src);
      if (imageIndex >= 0) card.append(h('img', { class: 'card-image', src: row.cells[imageIndex].src!, alt: page.columns[imageIndex].label, loading: 'lazy' }));
      const pairs = page.columns.flatMap((column, i) => (i === imageIndex ? [] : [h('dt', {}, column.label), h('dd', { class: `format-${column.format}` }, ...cellContent(row.cells[i], column, row))]));
      card.append(h('dl', {}, ...pairs));
    }
    card.addEventListener('click', (event) => openRowOnClick(event, row));
    return card;
  });
  return h('section', { 'aria-label': captionText(view, page) }, h('ul', { class: 'cards' }, ...cards));
}

function openItemButton(row: ShownRow): HTMLElement {
  const number = row.itemIndex + 1;
  const { one } = rowNoun();
  const button = h('button', { type: 'button', class: 'open-item', title: `Open ${one} #${number} as JSON`, 'aria-label': `Open ${one} ${number} as JSON`, 'data-focus-key': `item-${row.itemIndex}` }, String(number));
  button.addEventListener('click', (event) => {
    event.stopPropagation();
    post({ type: 'openItem', itemIndex: row.itemIndex });
  });
  return button;
}

/** A click anywhere on a row opens its item, unless it was on a control or ended a text selection. */
function openRowOnClick(event: MouseEvent, row: ShownRow): void {
  if ((event.target as HTMLElement).closest('a, button, summary, details[open]')) return;
  if (window.getSelection()?.toString()) return;
  post({ type: 'openItem', itemIndex: row.itemIndex });
}

function cellContent(cell: ShownCell, column: ShownColumn, row: ShownRow): (Node | string)[] {
  if (cell.src) {
    const image = h('img', { class: 'thumb', src: cell.src, alt: column.label, title: cell.src.startsWith('data:') ? column.label : cell.src, loading: 'lazy' });
    return [cell.src.startsWith('data:') ? image : link(cell.src, image)];
  }
  if (cell.href) return [link(cell.href, cell.text)];
  if (cell.detail !== undefined) {
    // Compact JSON in the cell; the full value in the tooltip and, expanded, below it.
    const key = `${row.itemIndex}:${column.key}`;
    const details = h('details', { 'data-cell': key, open: expandedCells.has(key) }, h('summary', { title: cell.detail }, cell.text), h('pre', {}, cell.detail));
    return [details];
  }
  if (column.format === 'boolean' && cell.text) return [h('span', { 'aria-label': cell.text === '✓' ? 'true' : 'false' }, cell.text)];
  if (column.format === 'date' && cell.text) {
    const local = new Date(cell.text);
    return [h('time', { datetime: cell.text, title: Number.isNaN(local.getTime()) ? undefined : local.toLocaleString() }, cell.text)];
  }
  return cell.text.length > LONG_TEXT_CHARS ? [h('span', { title: cell.text }, cell.text)] : [cell.text];
}

/** Links open through the host (which allows only http and https), never inside the webview. */
function link(url: string, content: Node | string): HTMLElement {
  const anchor = h('a', { href: url, class: 'link', title: url }, content);
  anchor.addEventListener('click', (event) => {
    event.preventDefault();
    post({ type: 'openLink', url });
  });
  return anchor;
}

// ---- messages from the host -------------------------------------------------------------------------------------

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'show': {
      const previous = shown;
      shown = message;
      settled = true;
      state = { ...state, location: message.location, ...(message.page && { viewId: message.page.viewId, offset: message.page.offset, limit: message.page.limit }) };
      vscode.setState(state);
      render(message, previous);
      roundTripMs = performance.now() - requestedAt;
      break;
    }
    case 'exportResult':
      showExportResult(message.problem);
      break;
    case 'test':
      post({ type: 'testResult', id: message.id, result: runTestAction(message.action) });
      break;
  }
});

// ---- test channel: the same controls a person uses ---------------------------------------------------------------

function runTestAction(action: ViewerTestAction): unknown {
  const click = (selector: string) => {
    const target = root.querySelector<HTMLElement>(selector);
    if (!target || (target as HTMLButtonElement).disabled) return false;
    target.click();
    return true;
  };
  switch (action.kind) {
    case 'snapshot':
      return snapshot();
    case 'selectView': {
      const tab = [...root.querySelectorAll<HTMLElement>('[role="tab"]')].find((t) => t.textContent === action.title);
      tab?.click();
      return !!tab;
    }
    case 'page':
      return click(`[data-control="${action.control}"]`);
    case 'pageSize': {
      const select = root.querySelector<HTMLSelectElement>('[data-control="page-size"]');
      if (!select || ![...select.options].some((option) => option.value === String(action.size))) return false;
      select.value = String(action.size);
      select.dispatchEvent(new Event('change'));
      return true;
    }
    case 'goToItem': {
      const form = root.querySelector<HTMLFormElement>('[data-control="go-to"]');
      if (!form) return false;
      form.querySelector('input')!.value = String(action.itemNumber);
      form.requestSubmit();
      return true;
    }
    case 'openRow':
      return click(`[data-item="${action.itemNumber - 1}"] .open-item`);
    case 'export': {
      if (!click('[data-control="export"]')) return false;
      const form = exportDialog.querySelector('form')!;
      if (action.format) form.querySelector<HTMLSelectElement>('select[name="format"]')!.value = action.format;
      for (const [name, value] of Object.entries(action.options ?? {})) {
        const input = form.querySelector<HTMLInputElement>(`input[name="${name}"]`);
        if (!input) return false;
        if (input.type === 'checkbox') input.checked = value === true;
        else input.value = String(value);
      }
      form.requestSubmit();
      return true;
    }
  }
}

function snapshot(): ViewerSnapshot {
  const text = (element: Element | null) => element?.textContent?.trim() ?? '';
  // An array or object cell reads as its one-line summary, not with the expanded value under it.
  const cellText = (cell: Element) => text(cell.querySelector('summary') ?? cell);
  const grid = root.querySelector('.cards');
  const headers = grid ? ['#', ...[...root.querySelectorAll('.card:first-child dt')].map(text)] : [...root.querySelectorAll('thead th')].map(text);
  const rows = [...root.querySelectorAll(grid ? '.card' : 'tbody tr')].map((row) =>
    [...row.querySelectorAll(grid ? '.open-item, dd, .item-error' : ':scope > th, :scope > td')].map(cellText),
  );
  return {
    settled,
    roundTripMs,
    title: text(root.querySelector('h1')),
    tabs: [...root.querySelectorAll('[role="tab"]')].map(text),
    selectedTab: text(root.querySelector('[role="tab"][aria-selected="true"]')),
    caption: text(root.querySelector('caption')) || (root.querySelector('main section')?.getAttribute('aria-label') ?? ''),
    headers,
    rows,
    range: text(root.querySelector('.range')),
    inferredNote: text(root.querySelector('.note')),
    banner: text(root.querySelector('.banner')),
    problem: text(root.querySelector('.problem')),
    component: shown?.page?.component ?? '',
    images: root.querySelectorAll('img').length,
    links: root.querySelectorAll('a.link').length,
    pagerGeneration,
    exportOpen: exportDialog.open,
    exportProblem: text(exportDialog.querySelector('.export-problem')),
  };
}

request({});
