/**
 * The host of one dataset's viewer: reads only the page the webview asks for (a 1,000,000-item dataset costs what
 * a small one does), renders the cells to text with the dataset schema's display formats, follows the dataset while
 * a run writes to it and the schema while it is edited, and opens items and links for the webview.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { DatasetItemCache, datasetFolder, datasetPage, isItemFile, itemFile, positionalItemCount, StorageFolder } from '../../storage';
import { DatasetView, ItemOptions, parseItemOptions, readDatasetViews, readViewPage, viewTotal } from '../../storage/datasetViews';
import { EXPORT_FORMATS, isExportFormat } from '../../storage/export/formats';
import { errorMessage } from '../actors/actorRegistry';
import { prepareWebviewPanel, webviewPage, WebviewPanelHost } from '../webviews/webviewHost';
import { watchFolder } from './folderWatch';
import { storageFileUri } from '../storageFiles/storageFileSystem';
import { DatasetLocation, EXPORT_OPTION_LABELS, ExportOptionTexts, HostMessage, PageRequest, ViewerTestAction, WebviewMessage } from '../../webviewProtocols/datasetViewer';
import { isWebUrl, shownPage } from './shownPage';

export const DATASET_VIEWER_VIEW_TYPE = 'greenroom.datasetViewer';

/** At most one refresh per interval while a run writes items (a trailing throttle: the last change is always shown). */
const REFRESH_INTERVAL_MS = 500;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

export class DatasetViewerPanel extends WebviewPanelHost<HostMessage, ViewerTestAction> {
  private request: PageRequest = pageRequestOf({});
  private views: DatasetView[] = [];
  private schemaProblem: string | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** The shown page's items: a refresh while a run appends re-reads only what changed. */
  private readonly items = new DatasetItemCache();
  /** Entries of the dataset folder changed since the page was last read; undefined: anything may have. */
  private changed: Set<string> | undefined;
  /** The last page posted, with the request it answered. */
  private shown: { message: HostMessage & { type: 'show' }; request: PageRequest } | undefined;

  private constructor(
    panel: vscode.WebviewPanel,
    readonly location: DatasetLocation,
  ) {
    super(panel, 'dataset viewer');
  }

  /** Opens a dataset in a new panel, or in `panel` when VS Code restores one after a reload. */
  static create(location: DatasetLocation, extensionUri: vscode.Uri, panel?: vscode.WebviewPanel): DatasetViewerPanel {
    const viewer = new DatasetViewerPanel(prepareWebviewPanel(DATASET_VIEWER_VIEW_TYPE, location.title, extensionUri, panel), location);
    viewer.start(extensionUri);
    return viewer;
  }

  get datasetDir(): string {
    return this.dataset.path;
  }

  /** The dataset's folder: the viewer's key. */
  get folder(): string {
    return this.datasetDir;
  }

  private get dataset(): StorageFolder {
    return datasetFolder(this.location.storageDir, this.location.datasetId);
  }

  private start(extensionUri: vscode.Uri): void {
    // Items are untrusted: nothing they hold can run (the page never parses their text as HTML), but image fields are
    // shown as thumbnails, so images may come from the web.
    this.panel.webview.html = webviewPage(this.panel.webview, extensionUri, {
      bundle: 'datasetViewer',
      title: this.location.title,
      placeholder: '<div id="viewer">Loading the dataset…</div>',
      imageSources: 'https: http: data:',
    });
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((message: WebviewMessage) => void this.onMessage(message)),
      watchFolder(this.datasetDir, (names) => {
        if (this.changed && names) for (const name of names) this.changed.add(name);
        else this.changed = undefined;
        this.scheduleRefresh();
      }),
      // actor.json and the dataset schema it names live in .actor/ (a schema kept elsewhere is still re-read with
      // every page read, just not watched).
      watchFolder(path.join(this.location.actorRoot, '.actor'), () => {
        this.changed = undefined;
        this.scheduleRefresh();
      }),
    );
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    super.dispose();
  }

  private async onMessage(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'request':
        this.request = pageRequestOf(message);
        await this.show();
        this.webviewLoaded.resolve();
        break;
      case 'openItem':
        await this.openItem(message.itemIndex);
        break;
      case 'export':
        await this.export(message.format, message.options);
        break;
      case 'openLink':
        if (isWebUrl(message.url)) await vscode.env.openExternal(vscode.Uri.parse(message.url, true));
        break;
      case 'testResult':
        this.answerTest(message.id, message.result);
        break;
    }
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      // A hidden webview asks for its page when it is shown again.
      if (this.panel.visible) void (this.showNewTotal() ?? this.show());
    }, REFRESH_INTERVAL_MS);
  }

  /**
   * While a run appends items after the shown page, the page stays what it was and only the total grows: posted
   * without reading the page again. Undefined when the page must be read (anything else changed, a `desc` view whose
   * first page shows the newest items, a page not yet full, a dataset not named by position).
   */
  private showNewTotal(): Thenable<boolean> | undefined {
    const { shown, changed } = this;
    const page = shown?.message.page;
    const view = this.shownView();
    if (!shown || !page || !changed || shown.request !== this.request || view?.transformation.desc) return undefined;
    const { offset, limit } = this.request;
    if (page.total < offset + limit) return undefined;
    const lastOnPage = itemFile(offset + limit - 1);
    if ([...changed].some((name) => isItemFile(name) && name <= lastOnPage)) return undefined;
    let count: number | undefined;
    try {
      count = positionalItemCount(this.dataset);
    } catch {
      return undefined;
    }
    if (count === undefined) return undefined;
    this.changed = new Set();
    shown.message = { ...shown.message, page: { ...page, total: viewTotal(view, count) } };
    return this.post(shown.message);
  }

  private async show(): Promise<void> {
    this.changed = new Set();
    this.shown = undefined;
    // Two small files, read with every page: the views always match the schema on disk.
    this.loadViews();
    const base = { type: 'show' as const, location: this.location, views: this.views.map(({ id, title }) => ({ id, title })), schemaProblem: this.schemaProblem };
    const view = this.shownView();
    try {
      if (!this.dataset.exists()) {
        await this.post({ ...base, problem: `The dataset folder ${this.datasetDir} does not exist (yet): it appears when the Actor stores its first item.` });
        return;
      }
      let page = readViewPage(this.dataset, view, this.request.offset, this.request.limit, this.items);
      // Past the end (the dataset shrank, or a restored page of a purged dataset): the last page instead.
      if (page.total > 0 && page.offset >= page.total) {
        this.request.offset = Math.floor((page.total - 1) / page.limit) * page.limit;
        page = readViewPage(this.dataset, view, this.request.offset, this.request.limit, this.items);
      }
      const message = { ...base, page: shownPage(page, view) };
      this.shown = { message, request: this.request };
      await this.post(message);
    } catch (error) {
      await this.post({ ...base, problem: `Cannot read the dataset ${this.datasetDir}: ${errorMessage(error)}` });
    }
  }

  /** The requested view; one that no longer exists (schema edited) falls back to the default view. */
  private shownView(): DatasetView | undefined {
    return this.request.viewId === null ? undefined : (this.views.find((v) => v.id === this.request.viewId) ?? this.views[0]);
  }

  private loadViews(): void {
    try {
      this.views = readDatasetViews(this.location.actorRoot);
      this.schemaProblem = undefined;
    } catch (error) {
      this.views = [];
      this.schemaProblem = errorMessage(error);
    }
  }

  /**
   * The export dialog's options over the shown view, read as the API reads its query; a bad value goes back to the
   * dialog (which keeps what was typed) instead of exporting. The format is the dialog's; the file is asked.
   */
  private async export(format: string, texts: ExportOptionTexts): Promise<void> {
    let items: ItemOptions;
    try {
      if (!isExportFormat(format)) throw new Error(`Unknown format "${format}": the formats are ${EXPORT_FORMATS.join(', ')}.`);
      items = parseItemOptions((name) => texts[name], (name) => EXPORT_OPTION_LABELS[name]);
    } catch (error) {
      await this.post({ type: 'exportResult', problem: errorMessage(error) });
      return;
    }
    await this.post({ type: 'exportResult' });
    const { actorRoot, storageDir, datasetId } = this.location;
    const view = this.shownView()?.id ?? null;
    await vscode.commands.executeCommand('greenroom.exportDataset', { actorRoot, storageDir, id: datasetId, kind: 'datasets' }, { format, view, items });
  }

  private async openItem(itemIndex: number): Promise<void> {
    const dataset = this.dataset;
    const item = datasetPage(dataset, itemIndex, 1)[0];
    if (!item) return void vscode.window.showWarningMessage(`Item #${itemIndex + 1} is no longer in the dataset.`);
    try {
      dataset.checkFile(item.name);
    } catch (error) {
      return void vscode.window.showErrorMessage(`Item #${itemIndex + 1} cannot be opened: ${errorMessage(error)}`);
    }
    // Read-only: the viewer shows what a run wrote and has no edit actions.
    const uri = storageFileUri({ storageDir: this.location.storageDir, kind: 'datasets', id: this.location.datasetId, name: item.name });
    await vscode.window.showTextDocument(uri, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }
}

/** The page a webview asked for, within bounds (a restored state or a hand-made message may hold anything). */
export function pageRequestOf(message: Partial<PageRequest>): PageRequest {
  return {
    viewId: message.viewId,
    offset: Math.max(0, Math.floor(message.offset ?? 0) || 0),
    limit: Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(message.limit ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE)),
  };
}

export function datasetDirOf(location: DatasetLocation): string {
  return datasetFolder(location.storageDir, location.datasetId).path;
}
