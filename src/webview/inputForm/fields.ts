/**
 * One renderer per editor. Each takes the field, its current value and a setter, and returns the control;
 * `renderField` adds what every field has (label, required marker, description, error line) and the aria wiring.
 */
import { FieldModel } from '../../form/model';
import { LocalResources } from '../../webviewProtocols/inputForm';
import { renderDescription } from './description';
import { button, h, uniqueId } from '../dom';
import { renderRows } from './rows';

/** What fields need from the form around them. */
export interface FormEnvironment {
  resources: LocalResources;
  /** Secret fields whose value is kept in VS Code's secret storage. */
  storedSecrets: ReadonlySet<string>;
  pickFile(key: string): void;
  forgetSecret(key: string): void;
  /** A problem only the webview can see (JSON that does not parse); undefined clears it. */
  setLocalError(path: string, message: string | undefined): void;
}

export type Setter = (value: unknown) => void;

export interface RenderedField {
  element: HTMLElement;
  /** Shows (or clears) the error line under the field. */
  showError(message: string | undefined): void;
}

export interface EditorContext {
  field: FieldModel;
  value: unknown;
  set: Setter;
  /** Id of the focusable control, for the label. */
  id: string;
  /** Path of the field inside the input (`login.user`), for local errors. */
  path: string;
  env: FormEnvironment;
}

/** Renders a field with its label, description and error line. Hidden fields render nothing. */
export function renderField(field: FieldModel, value: unknown, set: Setter, env: FormEnvironment, path = field.key): RenderedField | undefined {
  if (field.editor === 'hidden') return undefined;
  const id = uniqueId('field');
  const descriptionId = `${id}-description`;
  const errorId = `${id}-error`;
  const control = renderEditor({ field, value, set, id, path, env });
  const error = h('div', { class: 'error', id: errorId, role: 'alert', hidden: true });
  const description = field.description ? h('div', { class: 'description', id: descriptionId }, renderDescription(field.description)) : undefined;
  const describedBy = [description ? descriptionId : undefined, errorId].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', describedBy);
  const isCheckbox = field.editor === 'checkbox';
  // A checkbox carries its title itself; a group caption, when there is one, heads it.
  const heading = isCheckbox
    ? field.groupCaption
      ? h('div', { class: 'group-caption' }, field.groupCaption)
      : undefined
    : h('vscode-label', { for: id, required: field.required }, field.title);
  const groupDescription = isCheckbox && field.groupDescription ? h('div', { class: 'description' }, field.groupDescription) : undefined;
  const element = h('div', { class: `field editor-${field.editor}`, 'data-key': field.key });
  element.append(...[heading, groupDescription, control, description, error].filter((node): node is HTMLElement => node !== undefined));
  return {
    element,
    showError(message) {
      error.textContent = message ?? '';
      error.hidden = !message;
      element.classList.toggle('invalid', !!message);
      control.toggleAttribute('invalid', !!message);
      control.setAttribute('aria-invalid', String(!!message));
    },
  };
}

function renderEditor(ctx: EditorContext): HTMLElement {
  switch (ctx.field.editor) {
    case 'textfield':
    case 'hidden':
      return textfield(ctx);
    case 'textarea':
      return textarea(ctx, false);
    case 'javascript':
    case 'python':
      return textarea(ctx, true);
    case 'select':
      return ctx.field.multiple ? multiSelect(ctx) : singleSelect(ctx, ctx.field.options ?? [], ctx.field.allowCustom ?? false);
    case 'datepicker':
      return datepicker(ctx);
    case 'fileupload':
      return fileupload(ctx);
    case 'number':
      return numberField(ctx);
    case 'checkbox':
      return checkbox(ctx);
    case 'json':
      return jsonEditor(ctx);
    case 'stringList':
      return renderRows(ctx, { newRow: () => '', columns: [{ placeholder: ctx.field.placeholderValue ?? 'Value' }], bulk: 'lines' });
    case 'requestListSources':
      return renderRows(ctx, { newRow: () => ({ url: '' }), columns: [{ key: 'url', placeholder: 'https://…', type: 'url' }], bulk: 'urls', requestDetails: true });
    case 'pseudoUrls':
      return renderRows(ctx, { newRow: () => ({ purl: '' }), columns: [{ key: 'purl', placeholder: 'https://example.com/[.*]' }], bulk: 'lines' });
    case 'globs':
      return renderRows(ctx, { newRow: () => ({ glob: '' }), columns: [{ key: 'glob', placeholder: 'https://example.com/**' }], bulk: 'lines' });
    case 'keyValue':
      return renderRows(ctx, {
        newRow: () => ({ key: '', value: '' }),
        columns: [
          { key: 'key', placeholder: ctx.field.placeholderKey ?? 'Key' },
          { key: 'value', placeholder: ctx.field.placeholderValue ?? 'Value' },
        ],
      });
    case 'proxy':
      return proxy(ctx);
    case 'schemaBased':
      return ctx.field.itemsOfArray
        ? renderRows(ctx, { newRow: () => ({}), subForm: (row, setRow, rowPath) => subForm(ctx, row, setRow, rowPath) })
        : subForm(ctx, ctx.value, ctx.set, ctx.path);
    case 'resourcePicker':
      return singleSelect(ctx, (ctx.env.resources[ctx.field.resourceType ?? 'dataset'] ?? []).map((name) => ({ value: name, title: name })), true);
  }
}

/** The string a text control shows for a value of another type (a number typed into a text schema, say). */
function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Text controls: an emptied control removes the field from the input, so its default applies at run time. */
function bindText(control: HTMLElement & { value: string }, set: Setter): void {
  control.addEventListener('input', () => set(control.value === '' ? undefined : control.value));
}

function textfield(ctx: EditorContext): HTMLElement {
  const { field } = ctx;
  const stored = field.secret && ctx.env.storedSecrets.has(ctx.path);
  const control = h('vscode-textfield', {
    id: ctx.id,
    type: field.secret ? 'password' : 'text',
    placeholder: stored ? 'Stored in VS Code secret storage — type to replace' : field.placeholder,
    maxlength: field.maxLength,
  });
  control.value = asText(ctx.value);
  bindText(control, ctx.set);
  if (!field.secret) return control;
  return secretWrapper(ctx, control, stored);
}

function textarea(ctx: EditorContext, code: boolean): HTMLElement {
  const { field } = ctx;
  const stored = field.secret && ctx.env.storedSecrets.has(ctx.path);
  const control = h('vscode-textarea', {
    id: ctx.id,
    rows: code ? 6 : 3,
    monospace: code,
    spellcheck: code ? 'false' : undefined,
    placeholder: stored ? 'Stored in VS Code secret storage — type to replace' : field.placeholder,
    maxlength: field.maxLength,
    resize: 'vertical',
  });
  control.value = asText(ctx.value);
  bindText(control, ctx.set);
  if (field.secret) {
    control.classList.add('masked');
    return secretWrapper(ctx, control, stored);
  }
  return control;
}

/** A secret's control plus the note that says where the value lives, and a way to forget it. */
function secretWrapper(ctx: EditorContext, control: HTMLElement, stored: boolean): HTMLElement {
  const note = h('div', { class: 'note' }, stored ? 'A value is stored in VS Code secret storage; it is only passed to runs.' : 'Secret: kept in VS Code secret storage, never written to INPUT.json.');
  const wrapper = h('div', { class: 'secret' }, control, note);
  if (stored) note.append(' ', button('Forget', () => ctx.env.forgetSecret(ctx.path), { 'aria-label': `Forget the stored ${ctx.field.title}` }));
  return wrapper;
}

function singleSelect(ctx: EditorContext, options: { value: string; title: string }[], allowCustom: boolean): HTMLElement {
  const current = asText(ctx.value);
  const control = h('vscode-single-select', { id: ctx.id, combobox: allowCustom, creatable: allowCustom });
  // An empty choice first: an unset select leaves the field to its default.
  const choices = [{ value: '', title: ctx.field.placeholder ? `(default: ${ctx.field.placeholder})` : '(none)' }, ...options];
  if (current && !choices.some((option) => option.value === current)) choices.push({ value: current, title: current });
  for (const option of choices) control.append(h('vscode-option', { value: option.value, selected: option.value === current }, option.title));
  control.addEventListener('change', () => ctx.set(control.value === '' ? undefined : control.value));
  return control;
}

function multiSelect(ctx: EditorContext): HTMLElement {
  const current = new Set(Array.isArray(ctx.value) ? ctx.value.map(String) : []);
  const control = h('vscode-multi-select', { id: ctx.id, combobox: ctx.field.allowCustom, creatable: ctx.field.allowCustom });
  for (const option of ctx.field.options ?? []) control.append(h('vscode-option', { value: option.value, selected: current.has(option.value) }, option.title));
  control.addEventListener('change', () => {
    const value = (control as unknown as { value: string[] }).value;
    ctx.set(value.length ? value : undefined);
  });
  return control;
}

const RELATIVE_UNITS = ['minutes', 'hours', 'days', 'weeks', 'months', 'years'];
const RELATIVE = /^\s*([+-]?\d+)\s*(minute|hour|day|week|month|year)s?\s*$/i;

/**
 * Absolute dates are `YYYY-MM-DD`; relative ones "<n> <unit>" ("7 days"). With absoluteOrRelative a switch picks
 * which of the two the field holds.
 */
function datepicker(ctx: EditorContext): HTMLElement {
  const current = asText(ctx.value);
  const mode = ctx.field.dateType === 'absoluteOrRelative' ? (RELATIVE.test(current) ? 'relative' : 'absolute') : ctx.field.dateType!;
  const wrapper = h('div', { class: 'date', role: 'group' });
  const draw = (which: 'absolute' | 'relative') => {
    wrapper.replaceChildren();
    if (ctx.field.dateType === 'absoluteOrRelative') {
      const switcher = h('vscode-single-select', { class: 'date-mode', 'aria-label': `${ctx.field.title}: kind of date` });
      switcher.append(h('vscode-option', { value: 'absolute', selected: which === 'absolute' }, 'Absolute date'));
      switcher.append(h('vscode-option', { value: 'relative', selected: which === 'relative' }, 'Relative to now'));
      switcher.addEventListener('change', () => {
        ctx.set(undefined);
        draw((switcher as unknown as { value: 'absolute' | 'relative' }).value);
      });
      wrapper.append(switcher);
    }
    if (which === 'absolute') {
      const date = h('vscode-textfield', { id: ctx.id, type: 'date', placeholder: ctx.field.placeholder });
      date.value = RELATIVE.test(current) ? '' : current;
      bindText(date, ctx.set);
      wrapper.append(date);
      return;
    }
    const match = RELATIVE.exec(current);
    const amount = h('vscode-textfield', { id: ctx.id, type: 'number', class: 'amount', placeholder: ctx.field.placeholder ?? '7' });
    amount.value = match?.[1] ?? '';
    const unit = h('vscode-single-select', { class: 'unit', 'aria-label': `${ctx.field.title}: unit` });
    const currentUnit = match ? `${match[2].toLowerCase()}s` : 'days';
    for (const name of RELATIVE_UNITS) unit.append(h('vscode-option', { value: name, selected: name === currentUnit }, name));
    const update = () => {
      const n = amount.value.trim();
      const unitName = (unit as unknown as { value: string }).value;
      // "1 day", "7 days": the singular when there is exactly one.
      ctx.set(n === '' ? undefined : `${n} ${Math.abs(Number(n)) === 1 ? unitName.slice(0, -1) : unitName}`);
    };
    amount.addEventListener('input', update);
    unit.addEventListener('change', update);
    wrapper.append(amount, unit);
  };
  draw(mode);
  return wrapper;
}

function fileupload(ctx: EditorContext): HTMLElement {
  const control = h('vscode-textfield', { id: ctx.id, placeholder: 'Key of a record in the key-value store, or a URL' });
  control.value = asText(ctx.value);
  bindText(control, ctx.set);
  const pick = button('Choose file…', () => ctx.env.pickFile(ctx.path), { 'aria-label': `Choose a file for ${ctx.field.title}` });
  return h('div', { class: 'row' }, control, pick);
}

function numberField(ctx: EditorContext): HTMLElement {
  const { field } = ctx;
  const control = h('vscode-textfield', {
    id: ctx.id,
    type: 'number',
    min: field.minimum,
    max: field.maximum,
    step: field.integer ? 1 : 'any',
    placeholder: field.placeholder,
  });
  control.value = asText(ctx.value);
  control.addEventListener('input', () => {
    const text = control.value.trim();
    ctx.set(text === '' ? undefined : Number(text));
  });
  if (!field.unit) return control;
  return h('div', { class: 'row' }, control, h('span', { class: 'unit-label' }, field.unit));
}

function checkbox(ctx: EditorContext): HTMLElement {
  const control = h('vscode-checkbox', { id: ctx.id, label: ctx.field.title, required: ctx.field.required });
  const checked = ctx.value === undefined ? ctx.field.default === true : ctx.value === true;
  (control as unknown as { checked: boolean }).checked = checked;
  control.addEventListener('change', () => ctx.set((control as unknown as { checked: boolean }).checked));
  return control;
}

/** JSON editing: the value changes only when the text parses; until then the field shows why it does not. */
function jsonEditor(ctx: EditorContext): HTMLElement {
  const control = h('vscode-textarea', { id: ctx.id, rows: 6, monospace: true, spellcheck: 'false', resize: 'vertical', placeholder: ctx.field.placeholder });
  control.value = ctx.value === undefined ? '' : JSON.stringify(ctx.value, null, 2);
  if (ctx.field.secret) control.classList.add('masked');
  control.addEventListener('input', () => {
    const text = control.value.trim();
    if (text === '') {
      ctx.env.setLocalError(ctx.path, undefined);
      ctx.set(undefined);
      return;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      ctx.env.setLocalError(ctx.path, undefined);
      ctx.set(parsed);
    } catch (error) {
      ctx.env.setLocalError(ctx.path, `Not valid JSON: ${(error as Error).message}`);
    }
  });
  return control;
}

/**
 * Proxy configuration. Apify Proxy exists only on the platform, so locally its option is shown but disabled;
 * a run here uses no proxy or the person's own proxy URLs.
 */
function proxy(ctx: EditorContext): HTMLElement {
  const value = (ctx.value ?? {}) as { useApifyProxy?: boolean; proxyUrls?: string[] };
  const mode = value.useApifyProxy ? 'apify' : value.proxyUrls?.length ? 'own' : 'none';
  const select = h('vscode-single-select', { id: ctx.id });
  select.append(
    h('vscode-option', { value: 'none', selected: mode === 'none' }, 'No proxy'),
    h('vscode-option', { value: 'own', selected: mode === 'own' }, 'Own proxies'),
    h('vscode-option', { value: 'apify', selected: mode === 'apify', disabled: true }, 'Apify Proxy (platform only)'),
  );
  const note = h('div', { class: 'note' }, 'Apify Proxy and its groups and countries are only available on the platform; local runs use no proxy or your own.');
  const urls = h('vscode-textarea', {
    rows: 3,
    monospace: true,
    placeholder: 'http://user:password@proxy.example.com:8000 (one per line)',
    'aria-label': `${ctx.field.title}: proxy URLs, one per line`,
    hidden: mode !== 'own',
  });
  urls.value = (value.proxyUrls ?? []).join('\n');
  const emit = () => {
    const chosen = (select as unknown as { value: string }).value;
    urls.hidden = chosen !== 'own';
    if (chosen === 'apify') return;
    const proxyUrls = urls.value.split('\n').map((line) => line.trim()).filter(Boolean);
    ctx.set(chosen === 'own' ? { useApifyProxy: false, proxyUrls } : { useApifyProxy: false });
  };
  select.addEventListener('change', emit);
  urls.addEventListener('input', emit);
  return h('div', { class: 'proxy', role: 'group' }, select, urls, note);
}

/** A schemaBased object: its own fields, nested, each updating its key of the object. */
function subForm(ctx: EditorContext, value: unknown, set: Setter, path: string): HTMLElement {
  let object = value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
  const wrapper = h('div', { class: 'subform', role: 'group', 'aria-label': ctx.field.title, id: ctx.id, tabindex: -1 });
  for (const sub of ctx.field.fields ?? []) {
    const setSub: Setter = (subValue) => {
      object = { ...object };
      if (subValue === undefined) delete object[sub.key];
      else object[sub.key] = subValue;
      set(Object.keys(object).length ? object : undefined);
    };
    const rendered = renderField(sub, object[sub.key], setSub, ctx.env, `${path}.${sub.key}`);
    if (rendered) wrapper.append(rendered.element);
  }
  return wrapper;
}
