/**
 * The run view webview: a header (status, message, the run's facts, the buttons that apply) and tabs — Log
 * (virtual, live, searchable), Input, Output, Storage, Charts (uPlot), and Charges for a pay-per-event run. It draws
 * what the host sends; every value from the run becomes text, never HTML. The log element is built once and kept
 * across the host's updates.
 */
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import uPlot from 'uplot';
import type { ChartSample, HostMessage, RunViewModel, RunViewSnapshot, RunViewTestAction, StorageUsage, WebviewMessage } from '../../webviewProtocols/runView';
import { h } from '../dom';
import { LogView } from './logView';

interface ViewState {
  tab?: string;
  /** The log's top line while scrolled up (absent: following the end). */
  logLine?: number;
  /** The log's Times column was switched off (it is shown by default, as in the Console). */
  hideTimes?: boolean;
}
interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): ViewState | undefined;
  setState(state: ViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const scriptStart = performance.now();
const vscode = acquireVsCodeApi();
const root = document.getElementById('run-view')!;
let state: ViewState = vscode.getState() ?? {};
let model: RunViewModel | undefined;
let firstPaintMs = 0;
let samples: ChartSample[] = [];
/** The storages' folders as last measured (the Storage tab asks each time it is shown). */
let storageUsage: (StorageUsage | undefined)[] | undefined;
let charts: uPlot[] = [];
let search = { query: '', lines: [] as number[], capped: false, at: -1 };

const post = (message: WebviewMessage) => vscode.postMessage(message);
let saveTimer: ReturnType<typeof setTimeout> | undefined;
const log = new LogView(
  (start, count) => post({ type: 'logLines', start, count }),
  (topLine, following) => {
    state = { ...state, logLine: following ? undefined : topLine };
    // A hidden webview is torn down and loads again when shown: the scroll position is saved, a few times a second.
    saveTimer ??= setTimeout(() => {
      saveTimer = undefined;
      vscode.setState(state);
    }, 200);
  },
);
if (state.logLine !== undefined) log.restore(state.logLine);
log.showTimes(!state.hideTimes);

// ---- layout: built once --------------------------------------------------------------------------------------------

const title = h('h1');
const status = h('span', { class: 'status' });
const statusMessage = h('p', { class: 'status-message' });
const facts = h('dl', { class: 'facts' });
const actions = h('div', { class: 'actions' });
const tabBar = h('div', { class: 'tabs', role: 'tablist' });
const panels = h('main');
const searchBox = h('input', { type: 'search', placeholder: 'Search the log', 'aria-label': 'Search the log', class: 'search' });
const searchSummary = h('span', { class: 'search-summary' });
const timesToggle = button('Times', () => toggleTimes(), 'Show or hide when each line was written');
timesToggle.setAttribute('aria-pressed', String(log.timesShown));
const logPanel = h(
  'section',
  { class: 'panel log-panel', 'data-tab': 'log' },
  h('div', { class: 'log-toolbar' }, searchBox, button('↑', () => jump(-1), 'Previous match'), button('↓', () => jump(1), 'Next match'), searchSummary, timesToggle, button('Follow', () => followEnd(), 'Go to the end and follow it')),
  log.element,
);
const inputPanel = h('section', { class: 'panel', 'data-tab': 'input' });
const outputPanel = h('section', { class: 'panel', 'data-tab': 'output' });
const storagePanel = h('section', { class: 'panel', 'data-tab': 'storage' });
const chartsPanel = h('section', { class: 'panel charts', 'data-tab': 'charts' });
const chargesPanel = h('section', { class: 'panel', 'data-tab': 'charges' });
const TAB_PANELS: Record<string, HTMLElement> = { log: logPanel, input: inputPanel, output: outputPanel, storage: storagePanel, charts: chartsPanel, charges: chargesPanel };
panels.append(...Object.values(TAB_PANELS));

searchBox.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter') return;
  if (searchBox.value === search.query && search.lines.length) return jump(event.shiftKey ? -1 : 1);
  startSearch(searchBox.value);
});

function button(text: string, onClick: () => void, tooltip: string, primary = false): HTMLButtonElement {
  const element = h('button', { type: 'button', class: primary ? 'primary' : 'secondary', title: tooltip }, text);
  element.addEventListener('click', onClick);
  return element;
}

// ---- drawing -------------------------------------------------------------------------------------------------------

function render(next: RunViewModel): void {
  const first = !model;
  model = next;
  title.textContent = next.title;
  status.textContent = next.status;
  status.className = `status status-${next.status.toLowerCase()}`;
  statusMessage.textContent = next.statusMessage;
  facts.replaceChildren(...next.fields.map(([label, value]) => h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value))));
  actions.replaceChildren(...next.actions.map((action) => button(action.label, () => post({ type: 'action', id: action.id }), action.title, action.primary)));
  const selected = next.tabs.some((tab) => tab.id === state.tab) ? state.tab! : next.tabs[0]?.id;
  tabBar.replaceChildren(
    ...next.tabs.map((tab) => {
      const element = h('button', { type: 'button', role: 'tab', class: 'tab', 'aria-selected': String(tab.id === selected), 'data-tab': tab.id }, tab.title);
      element.addEventListener('click', () => selectTab(tab.id));
      return element;
    }),
  );
  inputPanel.replaceChildren(h('pre', { class: 'json' }, next.input || 'No input record.'));
  drawOutput(next);
  drawStorages(next);
  drawCharges(next);
  if (first) {
    root.replaceChildren(h('header', {}, h('div', { class: 'title-row' }, title, status), statusMessage, facts, actions), tabBar, panels);
  }
  showTab(selected);
  if (first) {
    requestAnimationFrame(() => {
      firstPaintMs = performance.now() - scriptStart;
      post({ type: 'painted', millis: firstPaintMs });
    });
  }
}

function drawOutput(next: RunViewModel): void {
  if (typeof next.output === 'string') return void outputPanel.replaceChildren(h('p', { class: 'note' }, next.output));
  outputPanel.replaceChildren(
    h(
      'table',
      { class: 'list' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Output'), h('th', {}, 'Value'))),
      h(
        'tbody',
        {},
        ...next.output.map((entry, index) => {
          const value = entry.opens ? h('a', { href: '#', title: `Open (${entry.opens})`, 'data-output': index }, entry.text) : h('code', {}, entry.text);
          value.addEventListener('click', (event) => {
            event.preventDefault();
            post({ type: 'openOutput', index });
          });
          return h('tr', {}, h('td', {}, entry.title, h('div', { class: 'key' }, entry.key)), h('td', {}, value));
        }),
      ),
    ),
  );
}

function drawStorages(next: RunViewModel): void {
  storagePanel.replaceChildren(
    h(
      'table',
      { class: 'list' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Storage'), h('th', {}, 'Name'), h('th', {}, 'Contents'), h('th', { class: 'number' }, 'On disk'), h('th', {}, 'Modified'), h('th', {}, 'Id'))),
      h(
        'tbody',
        {},
        ...next.storages.map((storage, index) => {
          const name = h('a', { href: '#', title: `Open the ${storage.kind.toLowerCase()}` }, storage.name);
          name.addEventListener('click', (event) => {
            event.preventDefault();
            post({ type: 'openStorage', index });
          });
          const usage = storageUsage?.[index];
          const measuring = storageUsage === undefined ? '…' : '';
          return h(
            'tr',
            {},
            h('td', {}, storage.kind),
            h('td', {}, name),
            h('td', {}, storage.summary),
            h('td', { class: 'number' }, usage?.size ?? measuring),
            h('td', { title: usage?.modified ?? '' }, usage ? new Date(usage.modified).toLocaleString() : measuring),
            h('td', {}, h('code', {}, storage.id)),
          );
        }),
      ),
    ),
  );
}

function drawCharges(next: RunViewModel): void {
  const charges = next.charges;
  if (!charges) return void chargesPanel.replaceChildren();
  const events = h(
    'table',
    { class: 'list charge-events' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Event'), h('th', {}, 'Title'), ...['Price', 'Count', 'Cost'].map((label) => h('th', { class: 'number' }, label)))),
    h(
      'tbody',
      {},
      ...charges.events.map((event) =>
        h(
          'tr',
          {},
          h('td', {}, h('code', {}, event.name)),
          h('td', {}, event.title),
          h('td', { class: 'number' }, event.price),
          h('td', { class: 'number' }, event.accountedCount === event.count ? String(event.count) : `${event.count} (${event.accountedCount} within the limit)`),
          h('td', { class: 'number' }, event.cost),
        ),
      ),
    ),
  );
  const total = h('p', { class: 'charge-total' }, `Total: ${charges.total}`, charges.limit ? ` · limit ${charges.limit} (the run's maximum total charge)` : ' · no limit');
  const shown = charges.log.length < charges.logTotal ? `the newest ${charges.log.length} of ${charges.logTotal}` : String(charges.logTotal);
  const log = charges.logTotal
    ? h(
        'table',
        { class: 'list charge-log' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Charged at'), h('th', {}, 'Event'), h('th', { class: 'number' }, 'Count'))),
        h('tbody', {}, ...charges.log.map(([at, eventName, count]) => h('tr', {}, h('td', { title: at }, new Date(at).toLocaleString()), h('td', {}, h('code', {}, eventName)), h('td', { class: 'number' }, String(count))))),
      )
    : h('p', { class: 'note' }, 'Nothing charged yet.');
  chargesPanel.replaceChildren(events, total, h('h2', {}, `Charges (${shown})`), log);
}

function selectTab(id: string): void {
  state = { ...state, tab: id };
  vscode.setState(state);
  showTab(id);
}

function showTab(id: string): void {
  for (const tab of tabBar.querySelectorAll<HTMLElement>('.tab')) tab.setAttribute('aria-selected', String(tab.dataset.tab === id));
  for (const [tabId, panel] of Object.entries(TAB_PANELS)) panel.hidden = tabId !== id;
  if (id === 'log') log.shown();
  if (id === 'charts') post({ type: 'samples' });
  if (id === 'storage') post({ type: 'storageUsage' });
}

function followEnd(): void {
  log.following = true;
  log.setTotal(log.lineCount);
}

function toggleTimes(): void {
  log.showTimes(!log.timesShown);
  timesToggle.setAttribute('aria-pressed', String(log.timesShown));
  state = { ...state, hideTimes: log.timesShown ? undefined : true };
  vscode.setState(state);
}

function startSearch(query: string): void {
  search = { query, lines: [], capped: false, at: -1 };
  log.highlight(query);
  searchSummary.textContent = query ? 'Searching…' : '';
  if (query) post({ type: 'search', query });
}

function jump(direction: 1 | -1): void {
  if (!search.lines.length) return;
  search.at = (search.at + direction + search.lines.length) % search.lines.length;
  log.scrollToLine(search.lines[search.at], true);
  searchSummary.textContent = `${search.at + 1} of ${search.lines.length}${search.capped ? '+' : ''}`;
}

// ---- charts --------------------------------------------------------------------------------------------------------

function drawCharts(): void {
  for (const chart of charts) chart.destroy();
  charts = [];
  if (!samples.length) return void chartsPanel.replaceChildren(h('p', { class: 'note' }, 'No memory or CPU samples (yet): Docker reports them once a second while the container runs.'));
  chartsPanel.replaceChildren();
  const times = samples.map(([t]) => t / 1000);
  const memoryMb = samples.map(([, bytes]) => bytes / 1024 / 1024);
  const limitMb = (model?.memoryLimitBytes ?? 0) / 1024 / 1024;
  const width = Math.max(320, chartsPanel.clientWidth - 20 || 640);
  const style = getComputedStyle(document.body);
  const foreground = style.getPropertyValue('--vscode-foreground').trim() || '#888';
  const grid = 'rgba(128, 128, 128, 0.2)';
  const axes = (label: string): uPlot.Axis[] => [
    { stroke: foreground, grid: { stroke: grid } },
    { label, stroke: foreground, grid: { stroke: grid }, size: 60 },
  ];
  const memory = h('div', { class: 'chart', 'data-chart': 'memory' });
  const cpu = h('div', { class: 'chart', 'data-chart': 'cpu' });
  chartsPanel.append(h('h2', {}, 'Memory'), memory, h('h2', {}, 'CPU'), cpu);
  charts.push(
    new uPlot(
      {
        width,
        height: 200,
        axes: axes('MB'),
        scales: { y: { range: (_u, _min, max) => [0, Math.max(max, limitMb) * 1.05] } },
        series: [{}, { label: 'Memory (MB)', stroke: style.getPropertyValue('--vscode-charts-blue').trim() || '#3794ff', width: 2 }, { label: 'Limit (MB)', stroke: style.getPropertyValue('--vscode-charts-red').trim() || '#f14c4c', dash: [6, 4], width: 1 }],
      },
      [times, memoryMb, times.map(() => limitMb)],
      memory,
    ),
    new uPlot(
      {
        width,
        height: 200,
        axes: axes('%'),
        scales: { y: { range: (_u, _min, max) => [0, Math.max(100, max) * 1.05] } },
        series: [{}, { label: 'CPU (%)', stroke: style.getPropertyValue('--vscode-charts-green').trim() || '#89d185', width: 2 }],
      },
      [times, samples.map(([, , percent]) => percent)],
      cpu,
    ),
  );
}

// ---- messages ------------------------------------------------------------------------------------------------------

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'run':
      render(message.run);
      break;
    case 'logSize':
      log.setTotal(message.total);
      break;
    case 'logLines':
      log.receive(message.start, message.lines, message.times);
      break;
    case 'searchResult':
      if (message.query !== search.query) break;
      search = { ...search, lines: message.lines, capped: message.capped, at: -1 };
      searchSummary.textContent = message.lines.length ? `${message.lines.length}${message.capped ? '+' : ''} matches` : 'No match';
      if (message.lines.length) jump(1);
      break;
    case 'storageUsage':
      storageUsage = message.usage;
      if (model) drawStorages(model);
      break;
    case 'samples':
      samples = message.samples;
      if (!chartsPanel.hidden) drawCharts();
      break;
    case 'test':
      void runTestAction(message.action).then((result) => post({ type: 'testResult', id: message.id, result }));
      break;
  }
});

// ---- test channel: the same controls a person uses -------------------------------------------------------------------

async function runTestAction(action: RunViewTestAction): Promise<unknown> {
  switch (action.kind) {
    case 'snapshot':
      return snapshot();
    case 'selectTab':
      [...tabBar.querySelectorAll<HTMLElement>('.tab')].find((tab) => tab.textContent === action.title)?.click();
      return snapshot();
    case 'click': {
      const target = [...actions.querySelectorAll<HTMLElement>('button')].find((b) => b.textContent === action.label);
      target?.click();
      return !!target;
    }
    case 'scrollLog':
      log.scrollToLine(action.line);
      return snapshot();
    case 'search':
      searchBox.value = action.query;
      searchBox.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
      return true;
    case 'toggleTimes':
      timesToggle.click();
      return snapshot();
    case 'openOutput': {
      const index = typeof model?.output === 'string' ? -1 : (model?.output.findIndex((entry) => entry.title === action.title) ?? -1);
      outputPanel.querySelector<HTMLElement>(`[data-output="${index}"]`)?.click();
      return index >= 0;
    }
  }
}

/** A table's body rows as "cell | cell" text. */
function tableRows(container: Element | null): string[] {
  return [...(container?.querySelectorAll('tbody tr') ?? [])].map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent).join(' | '));
}

function snapshot(): RunViewSnapshot {
  const drawn = log.drawnLines();
  return {
    title: title.textContent ?? '',
    status: status.textContent ?? '',
    statusMessage: statusMessage.textContent ?? '',
    fields: [...facts.querySelectorAll('dt')].map((dt) => [dt.textContent ?? '', dt.nextElementSibling?.textContent ?? '']),
    actions: [...actions.querySelectorAll('button')].map((b) => b.textContent ?? ''),
    tabs: [...tabBar.querySelectorAll('.tab')].map((tab) => tab.textContent ?? ''),
    selectedTab: tabBar.querySelector('[aria-selected="true"]')?.textContent ?? '',
    log: {
      total: log.lineCount,
      firstDrawn: log.firstDrawn,
      drawn: drawn.texts,
      timesShown: log.timesShown,
      drawnTimes: drawn.times,
      drawnTimeTitles: drawn.timeTitles,
      greenroomLines: drawn.own,
      rowsInDom: drawn.rowsInDom,
      following: log.following,
      searchSummary: searchSummary.textContent ?? '',
    },
    input: inputPanel.textContent ?? '',
    output: tableRows(outputPanel),
    storages: tableRows(storagePanel),
    charges: { events: tableRows(chargesPanel.querySelector('.charge-events')), total: chargesPanel.querySelector('.charge-total')?.textContent ?? '', logRows: chargesPanel.querySelectorAll('.charge-log tbody tr').length },
    chart: { drawn: charts.length > 0, points: samples.length, memoryLimitDrawn: charts[0]?.series.length === 3 },
    firstPaintMs,
  };
}

// A theme change restyles the page, but canvases keep the colours they were drawn with: draw the charts again.
new MutationObserver(() => {
  if (!chartsPanel.hidden && samples.length) drawCharts();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

window.addEventListener('resize', () => {
  if (!chartsPanel.hidden && samples.length) drawCharts();
  log.draw();
});

// The page carries the run as it was when it was made: drawn at once, then kept current by the host.
const initial = document.getElementById('initial-run')?.textContent;
if (initial) render(JSON.parse(initial) as RunViewModel);
post({ type: 'ready' });
