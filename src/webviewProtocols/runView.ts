/**
 * Messages between the run view's host (extension) and its webview. Plain types only: the webview bundle imports
 * this file too. The host reads the record, the log (by line ranges), the storages and the samples; the webview
 * only draws and asks.
 */

/** Which run a panel shows; kept in the webview's state so the panel comes back after a reload. */
export interface RunLocation {
  actorRoot: string;
  runId: string;
}

/** A button of the header. Other parts of Greenroom add theirs (Debug…) to the host's action list. */
export interface RunActionButton {
  id: string;
  label: string;
  /** The tooltip: what it does. */
  title: string;
  /** The one drawn as the primary button. */
  primary?: boolean;
}

/** A tab. The host's tab list is open to more (Charges…); the webview draws what the host lists. */
export interface RunTab {
  id: string;
  title: string;
}

/** An output-schema entry, resolved into the run's own storages. */
export interface ShownOutput {
  title: string;
  key: string;
  /** What it resolves to (a path, a URL, a value). */
  text: string;
  /** How a click opens it; absent: not openable (plain value). */
  opens?: 'dataset' | 'record' | 'url' | 'folder';
}

export interface ShownStorage {
  kind: 'Dataset' | 'Key-value store' | 'Request queue';
  /** "default" or the alias/name. */
  name: string;
  id: string;
  /** "6 items", "3 records · 1.2 KB", "4 requests". */
  summary: string;
}

/** A pay-per-event run's charges: each event with its price, count and cost, and the charges as they came. */
export interface ShownCharges {
  /** The Actor's priced events (charged or not), then any charged event the pricing does not name. */
  events: { name: string; title: string; price: string; count: number; accountedCount: number; cost: string }[];
  /** What the user pays (`$0.21`), and what was charged above the limit. */
  total: string;
  /** `$5.00`, or empty: no limit. */
  limit: string;
  /** The newest charges, oldest first: time (ISO), event, count. */
  log: [at: string, eventName: string, count: number][];
  /** How many charges there were in all (the log may show only the newest). */
  logTotal: number;
}

export interface RunViewModel {
  title: string;
  status: string;
  statusMessage: string;
  /** Header rows: label and value, in order. */
  fields: [label: string, value: string][];
  actions: RunActionButton[];
  tabs: RunTab[];
  /** The run's input, pretty-printed (secret fields as stored: encrypted). */
  input: string;
  /** Output entries, or why there are none. */
  output: ShownOutput[] | string;
  storages: ShownStorage[];
  /** Absent for a run without pay-per-event pricing (it has no Charges tab). */
  charges?: ShownCharges;
  memoryLimitBytes: number;
  /** The run is still going: the log grows and the charts get samples. */
  live: boolean;
}

/** [time in ms since the epoch, memory in bytes, CPU percent]. */
export type ChartSample = [number, number, number];

export type HostMessage =
  | { type: 'run'; run: RunViewModel }
  /** The log's line count (sent when it grows). */
  | { type: 'logSize'; total: number }
  /** Lines from `start`, with when each was written (ms since the epoch; null: not known). */
  | { type: 'logLines'; start: number; lines: string[]; times: (number | null)[] }
  | { type: 'searchResult'; query: string; lines: number[]; capped: boolean }
  | { type: 'samples'; samples: ChartSample[] }
  /** Each storage's folder on disk, in the order of the model's storages (undefined: not created yet). */
  | { type: 'storageUsage'; usage: (StorageUsage | undefined)[] }
  | { type: 'test'; id: number; action: RunViewTestAction };

/** A storage's folder: `1.2 MB`, and when it last changed (ISO). */
export interface StorageUsage {
  size: string;
  modified: string;
}

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'action'; id: string }
  | { type: 'logLines'; start: number; count: number }
  | { type: 'search'; query: string }
  | { type: 'openOutput'; index: number }
  | { type: 'openStorage'; index: number }
  | { type: 'samples' }
  /** The Storage tab is shown: its folders' sizes, measured now (a large dataset takes a while, so only on demand). */
  | { type: 'storageUsage' }
  /** Drawn for the first time: how long after the script started. */
  | { type: 'painted'; millis: number }
  | { type: 'testResult'; id: number; result: unknown };

/** What a test can ask the webview, through the same handlers a person's clicks and keys use. */
export type RunViewTestAction =
  | { kind: 'snapshot' }
  | { kind: 'selectTab'; title: string }
  | { kind: 'click'; label: string }
  | { kind: 'scrollLog'; line: number }
  | { kind: 'search'; query: string }
  /** Clicks the log toolbar's Times toggle. */
  | { kind: 'toggleTimes' }
  | { kind: 'openOutput'; title: string };

export interface RunViewSnapshot {
  title: string;
  status: string;
  statusMessage: string;
  fields: [string, string][];
  actions: string[];
  tabs: string[];
  selectedTab: string;
  log: {
    total: number;
    /** The first line drawn (0-based) and the text of the lines drawn, in order. */
    firstDrawn: number;
    drawn: string[];
    /** The Times column is shown; the drawn lines' times (HH:MM:SS.mmm) and their tooltips, in order. */
    timesShown: boolean;
    drawnTimes: string[];
    drawnTimeTitles: string[];
    /** How many of the drawn lines are Greenroom's own. */
    greenroomLines: number;
    /** Line elements in the DOM (bounded however long the log is). */
    rowsInDom: number;
    following: boolean;
    searchSummary: string;
  };
  input: string;
  output: string[];
  storages: string[];
  /** The Charges tab's event rows and total line, and how many charges its log lists. */
  charges: { events: string[]; total: string; logRows: number };
  chart: { drawn: boolean; points: number; memoryLimitDrawn: boolean };
  /** From the script's start to the first complete drawing. */
  firstPaintMs: number;
}
