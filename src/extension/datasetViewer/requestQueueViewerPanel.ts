/**
 * The host of one request queue's listing, in the dataset viewer's webview: the requests by position (URL, method,
 * state, retries, last error) a page at a time, reading only the page's files, following the queue while a run
 * works through it, and opening a request's file read-only. No views, no export, no edit actions.
 */
import * as vscode from 'vscode';
import { ListedRequest, requestQueuePage, requestQueueCounts, storageOf } from '../../storage';
import { errorMessage } from '../actors/actorRegistry';
import { Coalescer } from '../coalescer';
import { storageFileUri } from '../storageFiles/storageFileSystem';
import { prepareWebviewPanel, webviewPage, WebviewPanelHost } from '../webviews/webviewHost';
import { HostMessage, PageRequest, RequestQueueLocation, ShownColumn, ShownPage, ShownRow, ViewerTestAction, WebviewMessage } from '../../webviewProtocols/datasetViewer';
import { DATASET_VIEWER_VIEW_TYPE, pageRequestOf } from './datasetViewerPanel';
import { watchFolder } from './folderWatch';
import { isWebUrl } from './shownPage';

const REFRESH_INTERVAL_MS = 500;

const COLUMNS: ShownColumn[] = [
  { key: 'url', label: 'URL', format: 'link' },
  { key: 'method', label: 'Method', format: 'text' },
  { key: 'state', label: 'State', format: 'text' },
  { key: 'retryCount', label: 'Retries', format: 'number' },
  { key: 'lastError', label: 'Last error', format: 'text' },
];

export class RequestQueueViewerPanel extends WebviewPanelHost<HostMessage, ViewerTestAction> {
  private request: PageRequest = pageRequestOf({});
  /** The ids of the requests shown, by position: what a click on a row opens. */
  private shownIds = new Map<number, string>();
  private readonly refresh = new Coalescer<never>(REFRESH_INTERVAL_MS, () => {
    // A hidden webview asks for its page when it is shown again.
    if (this.panel.visible) void this.show();
  });

  private constructor(
    panel: vscode.WebviewPanel,
    readonly location: RequestQueueLocation,
  ) {
    super(panel, 'request queue viewer');
  }

  /** Opens a request queue in a new panel, or in `panel` when VS Code restores one after a reload. */
  static create(location: RequestQueueLocation, extensionUri: vscode.Uri, panel?: vscode.WebviewPanel): RequestQueueViewerPanel {
    const viewer = new RequestQueueViewerPanel(prepareWebviewPanel(DATASET_VIEWER_VIEW_TYPE, location.title, extensionUri, panel), location);
    viewer.start(extensionUri);
    return viewer;
  }

  /** The queue's folder: the viewer's key. */
  get folder(): string {
    return requestQueueDirOf(this.location);
  }

  private start(extensionUri: vscode.Uri): void {
    // Requests are untrusted: their text only ever becomes text (links open through the host, http and https only).
    this.panel.webview.html = webviewPage(this.panel.webview, extensionUri, {
      bundle: 'datasetViewer',
      title: this.location.title,
      placeholder: '<div id="viewer">Loading the request queue…</div>',
      imageSources: '',
    });
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((message: WebviewMessage) => void this.onMessage(message)),
      watchFolder(this.folder, () => this.refresh.add()),
      this.refresh,
    );
  }

  private async onMessage(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'request':
        this.request = pageRequestOf(message);
        await this.show();
        this.webviewLoaded.resolve();
        break;
      case 'openItem':
        await this.openRequest(message.itemIndex);
        break;
      case 'openLink':
        if (isWebUrl(message.url)) await vscode.env.openExternal(vscode.Uri.parse(message.url, true));
        break;
      case 'testResult':
        this.answerTest(message.id, message.result);
        break;
      case 'export':
        break;
    }
  }

  private async show(): Promise<void> {
    const base = { type: 'show' as const, location: this.location, views: [] };
    try {
      let { offset } = this.request;
      const { limit } = this.request;
      const total = requestQueueCounts(this.location.storageDir, this.location.queueId).total;
      // Past the end (the queue was purged under the page shown): the last page instead.
      if (total > 0 && offset >= total) offset = this.request.offset = Math.floor((total - 1) / limit) * limit;
      const { requests } = requestQueuePage(this.location.storageDir, this.location.queueId, offset, limit);
      this.shownIds = new Map(requests.map((request, i) => [offset + i, request.id]));
      const page: ShownPage = { viewId: null, component: 'table', total, offset, limit, inferred: false, columns: COLUMNS, rows: requests.map((request, i) => requestRow(request, offset + i)) };
      await this.post({ ...base, page });
    } catch (error) {
      await this.post({ ...base, problem: `Cannot read the request queue ${this.folder}: ${errorMessage(error)}` });
    }
  }

  private async openRequest(index: number): Promise<void> {
    const id = this.shownIds.get(index);
    if (!id) return;
    const uri = storageFileUri({ storageDir: this.location.storageDir, kind: 'request_queues', id: this.location.queueId, name: `${id}.json` });
    try {
      await vscode.window.showTextDocument(uri, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    } catch (error) {
      void vscode.window.showErrorMessage(`Request #${index + 1} cannot be opened: ${errorMessage(error)}`);
    }
  }
}

export function requestQueueDirOf(location: RequestQueueLocation): string {
  return storageOf(location.storageDir, 'request_queues', location.queueId).path;
}

function requestRow(request: ListedRequest, itemIndex: number): ShownRow {
  if (request.problem) return { itemIndex, error: request.problem, cells: [] };
  return {
    itemIndex,
    cells: [
      isWebUrl(request.url) ? { text: request.url, href: request.url } : { text: request.url },
      { text: request.method },
      { text: request.state },
      { text: String(request.retryCount) },
      { text: request.lastError ?? '' },
    ],
  };
}
