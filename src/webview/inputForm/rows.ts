/**
 * List editors (stringList, requestListSources, pseudoUrls, globs, keyValue, schemaBased arrays): one row per item,
 * add and remove buttons, and for the line-based ones a bulk mode where the whole list is edited (or pasted) as text.
 */
import type { EditorContext, Setter } from './fields';
import { button, h } from '../dom';

interface Column {
  /** Key of the item object this column edits; undefined when the items are plain strings. */
  key?: string;
  placeholder: string;
  type?: 'text' | 'url';
}

export interface RowsOptions {
  newRow(): unknown;
  columns?: Column[];
  /** Bulk text mode: one item per line ('urls' keeps the other keys of rows whose URL stays). */
  bulk?: 'lines' | 'urls';
  /** requestListSources: method, payload and userData per row. */
  requestDetails?: boolean;
  subForm?(row: unknown, setRow: Setter, rowPath: string): HTMLElement;
}

type Row = Record<string, unknown> | string;

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export function renderRows(ctx: EditorContext, options: RowsOptions): HTMLElement {
  let rows: Row[] = Array.isArray(ctx.value) ? (ctx.value as Row[]).map((row) => (typeof row === 'object' && row !== null ? { ...row } : row)) : [];
  const list = h('div', { class: 'rows', role: 'list', id: ctx.id, tabindex: -1, 'aria-label': ctx.field.title });
  const wrapper = h('div', { class: 'rows-editor' }, list);
  // Blank rows are being typed: they stay on screen but out of the input until they hold something.
  const emit = () => {
    const filled = rows.filter((row) => !isBlank(row));
    ctx.set(filled.length ? filled : undefined);
  };

  const drawRows = () => {
    list.replaceChildren(...rows.map((row, index) => drawRow(row, index)));
  };

  const drawRow = (row: Row, index: number): HTMLElement => {
    const setRow = (next: Row) => {
      rows[index] = next;
      emit();
    };
    const item = h('div', { class: 'row-item', role: 'listitem' });
    const cells = h('div', { class: 'row' });
    if (options.subForm) {
      cells.append(options.subForm(row, (value) => setRow((value ?? {}) as Row), `${ctx.path}[${index}]`));
    } else {
      for (const column of options.columns ?? []) {
        const input = h('vscode-textfield', {
          type: column.type ?? 'text',
          placeholder: column.placeholder,
          'aria-label': `${ctx.field.title} ${index + 1}${column.key ? ` ${column.key}` : ''}`,
        });
        input.value = String((column.key ? (row as Record<string, unknown>)[column.key] : row) ?? '');
        input.addEventListener('input', () => setRow(column.key ? { ...(rows[index] as Record<string, unknown>), [column.key]: input.value } : input.value));
        cells.append(input);
      }
    }
    cells.append(
      button('Remove', () => {
        rows.splice(index, 1);
        emit();
        drawRows();
        focusRow(Math.min(index, rows.length - 1));
      }, { 'aria-label': `Remove ${ctx.field.title} item ${index + 1}` }),
    );
    item.append(cells);
    if (options.requestDetails) item.append(requestDetails(ctx, () => rows[index] as Record<string, unknown>, setRow, index));
    return item;
  };

  const focusRow = (index: number) => {
    const target = list.children[index]?.querySelector<HTMLElement>('vscode-textfield, vscode-textarea, vscode-checkbox, vscode-single-select');
    (target ?? list).focus();
  };

  const add = button('Add', () => {
    rows.push(options.newRow() as Row);
    drawRows();
    focusRow(rows.length - 1);
  }, { 'aria-label': `Add ${ctx.field.title} item` });
  const actions = h('div', { class: 'row-actions' }, add);

  if (options.bulk) {
    const bulkKey = options.columns?.[0]?.key;
    const bulk = h('vscode-textarea', { rows: 6, monospace: true, hidden: true, 'aria-label': `${ctx.field.title}, one per line` });
    const toggle = button('Bulk edit', () => {
      const opening = bulk.hidden;
      bulk.hidden = !opening;
      list.hidden = opening;
      add.hidden = opening;
      toggle.textContent = opening ? 'Done' : 'Bulk edit';
      if (opening) {
        bulk.value = rows.map((row) => String((bulkKey ? (row as Record<string, unknown>)[bulkKey] : row) ?? '')).join('\n');
        bulk.focus();
      } else drawRows();
    });
    bulk.addEventListener('input', () => {
      const lines = bulk.value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
      const previous = new Map(rows.map((row) => [bulkKey ? (row as Record<string, unknown>)[bulkKey] : row, row]));
      rows = lines.map((line) => {
        if (!bulkKey) return line;
        const kept = options.bulk === 'urls' ? previous.get(line) : undefined;
        return kept ?? { [bulkKey]: line };
      });
      emit();
    });
    actions.append(toggle);
    wrapper.append(bulk);
  }
  wrapper.append(actions);
  drawRows();
  return wrapper;
}

/** Method, payload and userData of one request; collapsed until asked for. */
function requestDetails(ctx: EditorContext, current: () => Record<string, unknown>, setRow: (row: Row) => void, index: number): HTMLElement {
  const row = current();
  const details = h('div', { class: 'request-details', hidden: !(row.method || row.payload || row.userData) });
  const method = h('vscode-single-select', { 'aria-label': `Request ${index + 1} method` });
  for (const name of HTTP_METHODS) method.append(h('vscode-option', { value: name, selected: (row.method ?? 'GET') === name }, name));
  const payload = h('vscode-textarea', { rows: 2, monospace: true, placeholder: 'Payload (for POST, PUT, PATCH)', 'aria-label': `Request ${index + 1} payload` });
  payload.value = typeof row.payload === 'string' ? row.payload : '';
  const userData = h('vscode-textarea', { rows: 2, monospace: true, placeholder: 'User data (JSON object)', 'aria-label': `Request ${index + 1} user data` });
  userData.value = row.userData === undefined ? '' : JSON.stringify(row.userData);

  const update = (key: string, value: unknown) => {
    const next = { ...current() };
    if (value === undefined || value === '' || (key === 'method' && value === 'GET')) delete next[key];
    else next[key] = value;
    setRow(next);
  };
  method.addEventListener('change', () => update('method', (method as unknown as { value: string }).value));
  payload.addEventListener('input', () => update('payload', payload.value));
  userData.addEventListener('input', () => {
    const path = `${ctx.path}[${index}].userData`;
    if (userData.value.trim() === '') {
      ctx.env.setLocalError(path, undefined);
      return update('userData', undefined);
    }
    try {
      update('userData', JSON.parse(userData.value));
      ctx.env.setLocalError(path, undefined);
    } catch (error) {
      ctx.env.setLocalError(path, `User data of request ${index + 1} is not valid JSON: ${(error as Error).message}`);
    }
  });
  details.append(method, payload, userData);
  const toggle = button('Details', () => {
    details.hidden = !details.hidden;
    toggle.setAttribute('aria-expanded', String(!details.hidden));
  }, { 'aria-expanded': String(!details.hidden), 'aria-label': `Request ${index + 1} method, payload and user data` });
  return h('div', { class: 'request' }, toggle, details);
}

function isBlank(row: Row): boolean {
  if (typeof row === 'string') return row.trim() === '';
  return Object.values(row).every((value) => value === undefined || value === '');
}
