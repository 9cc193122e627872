/**
 * The input form webview: draws the form the host sends, keeps the values, shows the validator's messages and
 * sends edits and actions back. It never writes files and never sees a stored secret's value.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import './styles.css';
import { InputObject, prefillInput } from '../../form/input';
import { FieldModel, FormModel, formFields } from '../../form/model';
import { FieldError, FormAction, FormRunOptions, FormTab, InputFormState, FormSnapshot, HostMessage, LocalResources, RunChoices, SCRIPT_PROBE_GLOBAL, TestAction, WebviewMessage } from '../../webviewProtocols/inputForm';
import { renderDescription } from './description';
import { button, h } from '../dom';
import { FormEnvironment, RenderedField, renderField } from './fields';
import { renderJsonTab } from './jsonTab';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): InputFormState | undefined;
  setState(state: InputFormState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;


const vscode = acquireVsCodeApi();
const root = document.getElementById('form')!;
const CHANGE_DEBOUNCE_MS = 120;

let model: FormModel = { title: '', sections: [] };
let fieldsByKey = new Map<string, FieldModel>();
let input: InputObject = {};
let hostErrors: FieldError[] = [];
const localErrors = new Map<string, string>();
const touched = new Set<string>(vscode.getState()?.touched ?? []);
let submitted = false;
let statusLine: HTMLElement | undefined;
let runChoices: RunChoices = { memoryChoices: [], memoryDescription: '', defaultTimeoutSecs: 3600 };
let editing: string | undefined;
/** Kept across renders (a schema change redraws the form, not the person's run options). */
const runOptions: FormRunOptions = {};
const rendered = new Map<string, RenderedField>();
let changeTimer: ReturnType<typeof setTimeout> | undefined;
const TABS: FormTab[] = ['form', 'json'];
let activeTab: FormTab = vscode.getState()?.tab ?? 'form';
/** Kept across renders, so text being typed there survives a schema change. */
const jsonTab = renderJsonTab(applyJsonInput, CHANGE_DEBOUNCE_MS);

const env: FormEnvironment = {
  resources: {},
  storedSecrets: new Set(),
  pickFile: (key) => post({ type: 'pickFile', key }),
  forgetSecret: (key) => post({ type: 'forgetSecret', key }),
  setLocalError(path, message) {
    if (message) localErrors.set(path, message);
    else localErrors.delete(path);
    showErrors();
  },
};

function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

// ---- values ----------------------------------------------------------------------------------------------------

function setValue(key: string, value: unknown): void {
  if (value === undefined) delete input[key];
  else input[key] = value;
  touched.add(key);
  clearTimeout(changeTimer);
  // A field showing a problem gets the host's verdict at once, so the message goes as soon as the value is fixed.
  if (shownErrors().has(key)) flushChange();
  else changeTimer = setTimeout(flushChange, CHANGE_DEBOUNCE_MS);
}

/** Sends the input to the host (which validates it and stores secrets) and saves the state, secrets left out. */
function flushChange(): void {
  clearTimeout(changeTimer);
  changeTimer = undefined;
  post({ type: 'change', input });
  saveState();
}

function saveState(): void {
  vscode.setState({ touched: [...touched], tab: activeTab });
}

/**
 * Takes input from outside the fields (the document, the JSON tab). Only the fields whose value changed are redrawn,
 * so the one being typed in keeps its focus. Returns their keys.
 */
function replaceInput(next: InputObject): string[] {
  const previous = input;
  input = { ...next, ...secretsOf(input) };
  const changed = [...fieldsByKey.keys()].filter((key) => JSON.stringify(previous[key]) !== JSON.stringify(input[key]));
  changed.forEach(redrawField);
  return changed;
}

/** The JSON tab's text parsed: it owns every key of INPUT.json, so the host writes them all. */
function applyJsonInput(next: InputObject): void {
  for (const key of replaceInput(next)) touched.add(key);
  clearTimeout(changeTimer);
  changeTimer = undefined;
  post({ type: 'change', input, wholeInput: true });
  saveState();
}

function withoutSecrets(values: InputObject): InputObject {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !fieldsByKey.get(key)?.secret));
}

function secretsOf(values: InputObject): InputObject {
  return Object.fromEntries(Object.entries(values).filter(([key]) => fieldsByKey.get(key)?.secret));
}

// ---- rendering -------------------------------------------------------------------------------------------------

/**
 * About a screenful of fields is drawn before the first paint (from the webview's height and a typical field's), the
 * rest in chunks in later frames, so a big form shows at once.
 */
const TYPICAL_FIELD_HEIGHT_PX = 100;
const FIELDS_PER_CHUNK = 60;
/** Bumped by every render, so that the chunks of a render that was replaced stop. */
let renderGeneration = 0;

function render(): void {
  rendered.clear();
  const generation = ++renderGeneration;
  const header = h('header', {}, h('h1', {}, model.title));
  if (editing) header.append(h('div', { class: 'editing' }, editing));
  if (model.description) header.append(h('div', { class: 'description' }, renderDescription(model.description)));
  header.append(toolbar());
  statusLine = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  header.append(statusLine, tabBar());

  const pending: { container: HTMLElement; field: FieldModel }[] = [];
  const sections = model.sections.map((section) => {
    const body = h('div', { class: section.caption === undefined ? 'section' : 'section-body' });
    pending.push(...section.fields.map((field) => ({ container: body, field })));
    if (section.caption === undefined) return body;
    const collapsible = h('vscode-collapsible', { heading: section.caption, description: section.description, open: true, class: 'section' });
    collapsible.append(body);
    return collapsible;
  });
  const main = h('main', { 'aria-label': model.title, 'aria-busy': 'true' }, ...sections);
  const drawChunk = (count: number): HTMLElement[] => {
    const drawn: HTMLElement[] = [];
    for (const { container, field } of pending.splice(0, count)) {
      const element = drawField(field);
      if (element) drawn.push(container.appendChild(element));
    }
    showErrors();
    // After the next frame, so the browser paints what is drawn so far before drawing more.
    if (pending.length) requestAnimationFrame(() => setTimeout(drawLaterChunk));
    else main.setAttribute('aria-busy', 'false');
    return drawn;
  };
  const drawLaterChunk = () => {
    if (generation === renderGeneration) revealWhenRendered(drawChunk(FIELDS_PER_CHUNK));
  };
  drawChunk(Math.ceil(window.innerHeight / TYPICAL_FIELD_HEIGHT_PX));
  root.replaceChildren(header, main, jsonTab.element);
  showTab(activeTab);
  revealWhenRendered([root]);
}

/** Form | JSON: vscode-tabs draws the headers; the panels (the fields, the JSON tab) are shown and hidden here. */
function tabBar(): HTMLElement {
  const tabs = h('vscode-tabs', { 'selected-index': TABS.indexOf(activeTab), class: 'tabs' }, ...TABS.map((tab) => h('vscode-tab-header', { 'data-tab': tab }, tab === 'form' ? 'Form' : 'JSON')));
  tabs.addEventListener('vsc-tabs-select', (event) => showTab(TABS[(event as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex]));
  return tabs;
}

function showTab(tab: FormTab): void {
  // Leaving the JSON tab applies what was typed there; text that does not parse stays there, with its error.
  if (activeTab === 'json' && tab !== 'json') jsonTab.flush();
  activeTab = tab;
  root.querySelector('main')!.hidden = tab !== 'form';
  jsonTab.element.hidden = tab !== 'json';
  if (tab === 'json') jsonTab.show(withoutSecrets(input));
  saveState();
}

/**
 * Keeps `elements` out of layout (display: none) until their custom elements have rendered. A vscode-elements select
 * measures itself on every render of its own; in a laid-out page each such measurement forced a layout of the form.
 */
function revealWhenRendered(elements: HTMLElement[]): void {
  for (const element of elements) element.classList.add('drawing');
  const customElements = elements.flatMap((element) => [...element.querySelectorAll('*')]).filter((node): node is Element & { updateComplete: Promise<unknown> } => 'updateComplete' in node);
  void Promise.all(customElements.map((element) => element.updateComplete)).then(() => {
    for (const element of elements) element.classList.remove('drawing');
  });
}

function drawField(field: FieldModel): HTMLElement | undefined {
  const result = renderField(field, input[field.key], (value) => setValue(field.key, value), env);
  if (!result) return undefined;
  rendered.set(field.key, result);
  return result.element;
}

/** Redraws one field in place (a picked file, a forgotten secret, a value set by a test). */
function redrawField(key: string): void {
  const old = rendered.get(key);
  const field = fieldsByKey.get(key);
  if (!old || !field) return;
  const hadFocus = old.element.contains(document.activeElement);
  const element = drawField(field)!;
  old.element.replaceWith(element);
  if (hadFocus) element.querySelector<HTMLElement>('[id^="field-"]')?.focus();
  showErrors();
}

function toolbar(): HTMLElement {
  const snippetFormat = h('vscode-single-select', { 'aria-label': 'API snippet language', class: 'snippet-format' });
  snippetFormat.append(
    h('vscode-option', { value: 'curl', selected: true }, 'curl'),
    h('vscode-option', { value: 'javascript' }, 'JavaScript'),
    h('vscode-option', { value: 'python' }, 'Python'),
  );
  const selectedFormat = () => (snippetFormat as unknown as { value: 'curl' | 'javascript' | 'python' }).value;
  return h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': 'Input actions' },
    button('Save', () => submit('save'), { secondary: false, 'data-action': 'save', title: 'Save to the Actor\'s INPUT.json' }),
    button('Run', () => submit('run'), { secondary: false, 'data-action': 'run', title: 'Run the Actor with this input' }),
    runOptionControls(),
    button('Save as Task…', () => submit('saveTask'), { 'data-action': 'save-task', title: "Save this input as a task of the Actor (.actor/tasks.json; secrets are left out)" }),
    button('Copy as JSON', () => post({ type: 'copy', format: 'json', input }), { 'data-action': 'copy-json' }),
    h('span', { class: 'snippet' }, snippetFormat, button('Copy API snippet', () => post({ type: 'copy', format: selectedFormat(), input }), { 'data-action': 'copy-snippet' })),
    button('Reset to prefill', resetToPrefill, { 'data-action': 'reset' }),
  );
}

/** Build, memory and timeout for Run; empty ones take the defaults their placeholders show. */
function runOptionControls(): HTMLElement {
  const build = h('vscode-textfield', { 'aria-label': 'Build (tag or number)', placeholder: 'default build', class: 'run-build', 'data-run-option': 'build' });
  build.value = runOptions.build ?? '';
  build.addEventListener('input', () => {
    runOptions.build = build.value.trim() || undefined;
  });
  const memory = h('vscode-single-select', { 'aria-label': 'Memory', title: `Memory: ${runChoices.memoryDescription}`, class: 'run-memory', 'data-run-option': 'memoryMbytes' });
  memory.append(h('vscode-option', { value: '', selected: runOptions.memoryMbytes === undefined }, 'default memory'));
  for (const mb of runChoices.memoryChoices) memory.append(h('vscode-option', { value: String(mb), selected: runOptions.memoryMbytes === mb }, `${mb} MB`));
  memory.addEventListener('change', () => {
    const value = (memory as unknown as { value: string }).value;
    runOptions.memoryMbytes = value ? Number(value) : undefined;
  });
  const timeout = h('vscode-textfield', { type: 'number', min: 0, step: 1, 'aria-label': 'Timeout in seconds (0 = none)', placeholder: `${runChoices.defaultTimeoutSecs} s`, class: 'run-timeout', 'data-run-option': 'timeoutSecs' });
  timeout.value = runOptions.timeoutSecs === undefined ? '' : String(runOptions.timeoutSecs);
  timeout.addEventListener('input', () => {
    const text = timeout.value.trim();
    runOptions.timeoutSecs = text === '' ? undefined : Number(text);
  });
  return h('span', { class: 'run-options', role: 'group', 'aria-label': 'Run options' }, build, memory, timeout);
}

function submit(action: FormAction): void {
  submitted = true;
  showErrors();
  if (activeTab === 'json' && !jsonTab.flush()) {
    setStatus('Fix the JSON first: nothing of it is applied until it parses.', true);
    return;
  }
  if (localErrors.size > 0) {
    setStatus(`Fix the field${localErrors.size > 1 ? 's' : ''} marked in red first.`, true);
    focusFirstInvalid();
    return;
  }
  flushChange();
  post({ type: 'action', action, input, runOptions });
}

function resetToPrefill(): void {
  // Typed secrets stay: prefill never holds them, and the person would have to type them again.
  input = { ...prefillInput(model), ...secretsOf(input) };
  touched.clear();
  localErrors.clear();
  submitted = false;
  jsonTab.show(withoutSecrets(input), true);
  render();
  flushChange();
  setStatus('Reset to the schema\'s prefill values.');
}

function setStatus(text: string, error = false): void {
  if (!statusLine) return;
  statusLine.textContent = text;
  statusLine.classList.toggle('error', error);
}

/** Messages shown per field: JSON typing problems at once, the validator's once the field was touched or submitted. */
function shownErrors(): Map<string, string> {
  const shown = new Map<string, string>();
  for (const [path, message] of localErrors) shown.set(topKey(path), message);
  for (const error of hostErrors) {
    const key = topKey(error.field);
    if (!shown.has(key) && (submitted || touched.has(key))) shown.set(key, error.message);
  }
  return shown;
}

function showErrors(): void {
  const shown = shownErrors();
  for (const [key, field] of rendered) field.showError(shown.get(key));
}

function focusFirstInvalid(): void {
  const first = [...rendered.values()].find((field) => field.element.classList.contains('invalid'));
  first?.element.querySelector<HTMLElement>('[id^="field-"]')?.focus();
}

/** `login.user`, `startUrls[0].url`, `input.names` → the form field's key. */
function topKey(path: string): string {
  const segments = path.replace(/^input\./, '').split(/[.[]/);
  return segments[0];
}

// ---- messages from the host -------------------------------------------------------------------------------------

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'render':
      model = message.model;
      fieldsByKey = new Map(formFields(model).map((field) => [field.key, field]));
      input = { ...message.input, ...secretsOf(input) };
      hostErrors = message.errors;
      runChoices = message.runChoices;
      editing = message.editing;
      setResources(message.resources, message.storedSecrets);
      render();
      saveState();
      break;
    case 'input':
      replaceInput(message.input);
      jsonTab.show(withoutSecrets(input));
      break;
    case 'errors':
      hostErrors = message.errors;
      showErrors();
      break;
    case 'storedSecrets': {
      // Redraw only the secrets whose stored state flipped off (Forget): redrawing a field being typed in would steal focus.
      const forgotten = [...env.storedSecrets].filter((key) => !message.keys.includes(key));
      env.storedSecrets = new Set(message.keys);
      forgotten.forEach(redrawField);
      break;
    }
    case 'status':
      setStatus(message.text, message.error);
      break;
    case 'fileStored':
      setValue(message.key, message.value);
      redrawField(message.key);
      flushChange();
      break;
    case 'test':
      post({ type: 'testResult', id: message.id, result: runTestAction(message.action) });
      break;
  }
});

function setResources(resources: LocalResources, storedSecrets: string[]): void {
  env.resources = resources;
  env.storedSecrets = new Set(storedSecrets);
}

// ---- test channel: the same paths as a person's input --------------------------------------------------------------

function runTestAction(action: TestAction): unknown {
  switch (action.kind) {
    case 'setField':
      return setFieldAsTyped(action.key, action.value);
    case 'setRunOption': {
      const control = root.querySelector<HTMLElement & { value: string }>(`[data-run-option="${action.option}"]`);
      if (!control) return false;
      control.value = action.value;
      control.dispatchEvent(new Event(action.option === 'memoryMbytes' ? 'change' : 'input'));
      return true;
    }
    case 'click':
    case 'showTab': {
      const target = root.querySelector<HTMLElement>(action.kind === 'click' ? `[data-action="${action.control}"]` : `[data-tab="${action.tab}"]`);
      target?.click();
      return target !== null;
    }
    case 'typeJson': {
      const control = jsonTab.element.querySelector<HTMLElement & { value: string }>('.json-text')!;
      control.value = action.text;
      control.dispatchEvent(new Event('input'));
      return true;
    }
    case 'snapshot':
      return snapshot();
    case 'probeScript':
      return {
        ran: (window as unknown as Record<string, unknown>)[SCRIPT_PROBE_GLOBAL] === true,
        dangerousNodes: document.querySelectorAll('main script, main iframe, main img, main [onerror], main [onclick]').length,
      };
  }
}

/** Types into the field's own control when it is a single one; redraws complex editors with the value. */
function setFieldAsTyped(key: string, value: unknown): boolean {
  const field = fieldsByKey.get(key);
  const element = rendered.get(key)?.element;
  if (!field || !element) return false;
  const control = element.querySelector<HTMLElement & { value: string; checked: boolean }>('[id^="field-"]');
  const simple = ['textfield', 'textarea', 'javascript', 'python', 'number'].includes(field.editor);
  if (control && simple) {
    control.value = value === undefined ? '' : String(value);
    control.dispatchEvent(new Event('input'));
  } else if (control && field.editor === 'checkbox') {
    control.checked = value === true;
    control.dispatchEvent(new Event('change'));
  } else {
    setValue(key, value);
    redrawField(key);
  }
  flushChange();
  return true;
}

function snapshot(): FormSnapshot {
  const shown = shownErrors();
  return {
    tab: activeTab,
    jsonText: jsonTab.text(),
    jsonError: jsonTab.error(),
    complete: root.querySelector('main')?.getAttribute('aria-busy') === 'false',
    input: withoutSecrets(input),
    renderedKeys: [...rendered.keys()],
    sectionCaptions: model.sections.flatMap((section) => (section.caption === undefined ? [] : [section.caption])),
    errors: Object.fromEntries([...shown].filter(([key]) => rendered.has(key))),
    requiredKeys: [...root.querySelectorAll('vscode-label[required]')].map((label) => label.closest<HTMLElement>('.field')!.dataset.key!),
    memoryOptions: [...root.querySelectorAll('[data-run-option="memoryMbytes"] vscode-option')].map((option) => option.textContent ?? ''),
    timeoutPlaceholder: root.querySelector('[data-run-option="timeoutSecs"]')?.getAttribute('placeholder') ?? '',
    status: statusLine?.textContent ?? '',
    editing: root.querySelector('header .editing')?.textContent ?? '',
  };
}

post({ type: 'ready' });
