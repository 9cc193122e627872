/**
 * Messages between the dataset viewer's host (extension) and its webview, and the webview's saved state. Plain
 * types, constants and one type guard: the webview bundle imports this file too. The host reads and formats; the webview
 * only draws. The same webview lists a request queue's requests (a RequestQueueLocation): one table, no views, no export.
 */

import type { DisplayFormat, ItemOptionName } from '../storage/datasetViews/types';
import type { ExportFormat } from '../storage/export/formats';

/** Which dataset a panel shows; kept in the webview's state so the panel comes back after a reload. */
export interface DatasetLocation {
  /** The Actor whose dataset schema supplies the views. */
  actorRoot: string;
  /** The storage root holding `datasets/<datasetId>/`. */
  storageDir: string;
  datasetId: string;
  title: string;
}

/** Which request queue a panel lists (its requests by position, as a dataset's items). */
export interface RequestQueueLocation {
  storageDir: string;
  queueId: string;
  title: string;
}

export type ViewerLocation = DatasetLocation | RequestQueueLocation;

export function isRequestQueueLocation(location: ViewerLocation): location is RequestQueueLocation {
  return 'queueId' in location;
}

/** What the webview asks to see. `viewId` null: All fields; undefined: the schema's first view. */
export interface PageRequest {
  viewId?: string | null;
  offset: number;
  limit: number;
}

export interface ViewerState extends PageRequest {
  location?: ViewerLocation;
}

export interface ViewTab {
  id: string;
  title: string;
}

export interface ShownColumn {
  key: string;
  label: string;
  format: DisplayFormat;
}

/** One cell, already rendered to text by the host; links and images carry a URL the host judged safe to use. */
export interface ShownCell {
  text: string;
  /** link: an http(s) URL to open externally. */
  href?: string;
  /** image: an http(s) or data:image URL for the thumbnail. */
  src?: string;
  /** array/object: the full value, pretty-printed (capped), for the tooltip and the expanded view. */
  detail?: string;
}

export interface ShownRow {
  itemIndex: number;
  /** Set when the item could not be read (not JSON, unreadable file): the row shows this instead of cells. */
  error?: string;
  cells: ShownCell[];
}

export interface ShownPage {
  /** The view shown: null for All fields. */
  viewId: string | null;
  component: 'table' | 'grid';
  total: number;
  offset: number;
  limit: number;
  /** True when the columns were inferred from the items (All fields, or a view without display properties). */
  inferred: boolean;
  columns: ShownColumn[];
  rows: ShownRow[];
}

export type HostMessage =
  /** Everything the panel shows; sent after every request and every change on disk. */
  | {
      type: 'show';
      location: ViewerLocation;
      views: ViewTab[];
      /** The dataset schema could not be read: raw items are still shown, with this banner. */
      schemaProblem?: string;
      /** The dataset cannot be shown at all (its folder is missing): this message instead of the table. */
      problem?: string;
      page?: ShownPage;
    }
  /** The answer to an export request: a problem with its options (the dialog stays open, showing it), or none. */
  | { type: 'exportResult'; problem?: string }
  | { type: 'test'; id: number; action: ViewerTestAction };

/**
 * The export dialog's options as typed: lists and counts as text, flags as booleans (only the checked ones: an
 * unchecked box leaves the view's own setting). The host reads them with the API's rules (parseItemOptions).
 */
export type ExportOptionTexts = Partial<Record<ItemOptionName, string | boolean>>;

/** The export dialog's name for each option: its label, and how the host's errors name it. */
export const EXPORT_OPTION_LABELS: Record<ItemOptionName, string> = {
  fields: 'Fields',
  omit: 'Omit',
  unwind: 'Unwind',
  flatten: 'Flatten',
  clean: 'Clean',
  skipHidden: 'Skip hidden fields',
  skipEmpty: 'Skip empty items',
  desc: 'Newest first',
  offset: 'Offset',
  limit: 'Limit',
};

export type WebviewMessage =
  /** On load (with the saved view and page) and on every view switch or page change. */
  | ({ type: 'request' } & PageRequest)
  /** A row's item (a request, in a request queue's listing) as JSON in a read-only editor. */
  | { type: 'openItem'; itemIndex: number }
  | { type: 'openLink'; url: string }
  /** The export dialog's Export: the shown view (or the raw items) with these options over it, to a file the host asks for. */
  | { type: 'export'; format: ExportFormat; options: ExportOptionTexts }
  | { type: 'testResult'; id: number; result: unknown };

/** What a test can ask the webview, through the same handlers a person's clicks and keys use. */
export type ViewerTestAction =
  | { kind: 'snapshot' }
  | { kind: 'selectView'; title: string }
  | { kind: 'page'; control: 'first' | 'prev' | 'next' | 'last' }
  | { kind: 'pageSize'; size: number }
  | { kind: 'goToItem'; itemNumber: number }
  | { kind: 'openRow'; itemNumber: number }
  /** Opens the export dialog, fills in what is given (the rest stays as it was) and presses its Export button. */
  | { kind: 'export'; format?: ExportFormat; options?: ExportOptionTexts };

/** The panel as rendered (read from the DOM). */
export interface ViewerSnapshot {
  /** False while a request has not been answered yet. */
  settled: boolean;
  /** From the last request (a click) to its page drawn; a refresh on disk changes counts from that request too. */
  roundTripMs: number;
  title: string;
  tabs: string[];
  selectedTab: string;
  caption: string;
  headers: string[];
  /** Every row's cell texts, row number first (an unreadable item: its number and its error). */
  rows: string[][];
  /** "Items 101–200 of 250". */
  range: string;
  inferredNote: string;
  banner: string;
  problem: string;
  component: string;
  /** How many thumbnails and links the page shows. */
  images: number;
  links: number;
  /** How many times the toolbar (pager) element was built: a refresh on disk must not rebuild it. */
  pagerGeneration: number;
  /** Whether the export dialog is open, and the problem it shows. */
  exportOpen: boolean;
  exportProblem: string;
}
