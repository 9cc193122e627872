/**
 * The host of one run's view: the header and tabs from the record (redrawn at most a few times a second while the
 * run changes), the log read by line ranges through a line index (only the lines on screen cross to the webview,
 * with their times), search over the log file, the memory/CPU samples, and the buttons' commands.
 */
import * as vscode from 'vscode';
import { isTerminal, LogIndex, RunRecord } from '../../engine';
import { StorageFolder, StorageReader } from '../../storage';
import { HostMessage, RunLocation, RunViewModel, RunViewTestAction, WebviewMessage } from '../../webviewProtocols/runView';
import { ActorEntry, ActorRegistry, errorMessage } from '../actors/actorRegistry';
import { Coalescer } from '../coalescer';
import { formatBytes } from '../tree/format';
import { prepareWebviewPanel, webviewPage, WebviewPanelHost } from '../webviews/webviewHost';
import { outputEntries, runStorages, RunAction, runViewModel } from './runModel';

export const RUN_VIEW_TYPE = 'greenroom.runView';

/** Record and stats changes reach the page at most this often. */
const REDRAW_INTERVAL_MS = 250;
/** While a run is live, how often its log file is checked for new lines (whichever process writes it). */
const LOG_POLL_MS = 300;
/** Lines the webview may ask for at once (a screen is ~50). */
const MAX_LINES_PER_REQUEST = 2000;
const MAX_SEARCH_MATCHES = 10_000;

export class RunViewPanel extends WebviewPanelHost<HostMessage, RunViewTestAction> {
  private readonly log: LogIndex;
  private readonly redraw = new Coalescer<never>(REDRAW_INTERVAL_MS, () => void this.postRun());
  private logTimer: NodeJS.Timeout | undefined;
  private sentLogSize = -1;
  /** performance.now() when the webview reported its first drawing (the benchmark's end mark). */
  paintedAt: number | undefined;

  private constructor(
    panel: vscode.WebviewPanel,
    readonly location: RunLocation,
    private readonly registry: ActorRegistry,
    private readonly actions: (actor: ActorEntry, run: RunRecord) => RunAction[],
  ) {
    super(panel, 'run view');
    const actor = registry.get(location.actorRoot);
    this.log = actor ? actor.engine.runLogIndex(location.runId) : new LogIndex('');
  }

  static create(location: RunLocation, title: string, extensionUri: vscode.Uri, registry: ActorRegistry, actions: (actor: ActorEntry, run: RunRecord) => RunAction[], panel?: vscode.WebviewPanel): RunViewPanel {
    const view = new RunViewPanel(prepareWebviewPanel(RUN_VIEW_TYPE, title, extensionUri, panel), location, registry, actions);
    view.start(extensionUri);
    return view;
  }

  get key(): string {
    return runViewKey(this.location);
  }

  private start(extensionUri: vscode.Uri): void {
    // The header and tabs travel with the page, so the first drawing needs no round trip to the host.
    const initial = this.model();
    this.panel.webview.html = webviewPage(this.panel.webview, extensionUri, {
      bundle: 'runView',
      title: this.panel.title,
      placeholder: `<div id="run-view">Loading the run…</div>\n<script type="application/json" id="initial-run">${jsonForHtml(initial)}</script>`,
      imageSources: '',
    });
    this.disposables.push(
      this.redraw,
      this.panel.webview.onDidReceiveMessage((message: WebviewMessage) => void this.onMessage(message)),
      this.registry.onDidEngineEvent(({ actor, event }) => {
        if (actor.root !== this.location.actorRoot) return;
        const runId = event.type === 'run-status' ? event.run.id : event.type === 'run-stats' || event.type === 'run-log' || event.type === 'run-deleted' ? event.runId : undefined;
        if (runId !== this.location.runId) return;
        if (event.type === 'run-log') this.pollLog();
        else this.redraw.add();
      }),
      this.registry.onDidChangeRecords(() => this.redraw.add()),
      { dispose: () => clearTimeout(this.logTimer) },
    );
  }

  private get actor(): ActorEntry | undefined {
    return this.registry.get(this.location.actorRoot);
  }

  private get run(): RunRecord | undefined {
    return this.actor?.engine.getRun(this.location.runId);
  }

  private async onMessage(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.sentLogSize = -1;
        await this.postRun();
        this.webviewLoaded.resolve();
        break;
      case 'painted':
        this.paintedAt ??= performance.now();
        break;
      case 'logLines': {
        const count = Math.min(MAX_LINES_PER_REQUEST, Math.max(0, Math.floor(message.count)));
        const start = Math.max(0, Math.floor(message.start));
        const [lines, times] = await Promise.all([this.log.lines(start, count), this.log.times(start, count)]);
        await this.post({ type: 'logLines', start, lines, times });
        break;
      }
      case 'search': {
        const lines = await this.log.search(message.query, MAX_SEARCH_MATCHES);
        await this.post({ type: 'searchResult', query: message.query, lines, capped: lines.length >= MAX_SEARCH_MATCHES });
        break;
      }
      case 'samples':
        await this.postSamples();
        break;
      case 'storageUsage':
        await this.postStorageUsage();
        break;
      case 'action':
        await this.perform(message.id);
        break;
      case 'openOutput':
        await this.openOutput(message.index);
        break;
      case 'openStorage':
        await this.openStorage(message.index);
        break;
      case 'testResult':
        this.answerTest(message.id, message.result);
        break;
    }
  }

  private model(): RunViewModel {
    const { actor, run } = this;
    if (!actor || !run) return gone(this.location.runId);
    const model = runViewModel(actor, run, this.actions(actor, run));
    this.panel.title = model.title;
    return model;
  }

  /** The header and tabs, then the log's size (the webview asks for the lines it shows). */
  private async postRun(): Promise<void> {
    await this.post({ type: 'run', run: this.model() });
    await this.pollLog();
    const run = this.run;
    if (run && !isTerminal(run.status)) await this.postSamples();
  }

  /** Indexes what the log gained and says so; while the run is live, looks again shortly. */
  private async pollLog(): Promise<void> {
    clearTimeout(this.logTimer);
    this.logTimer = undefined;
    try {
      const total = await this.log.update();
      if (total !== this.sentLogSize) {
        this.sentLogSize = total;
        await this.post({ type: 'logSize', total });
      }
    } catch {
      // The log is unreadable for a moment (being replaced): the next poll tries again.
    }
    const run = this.run;
    if (run && !isTerminal(run.status)) this.logTimer = setTimeout(() => void this.pollLog(), LOG_POLL_MS);
  }

  private async postSamples(): Promise<void> {
    const samples = (await this.actor?.engine.runSamples(this.location.runId)) ?? [];
    await this.post({ type: 'samples', samples });
  }

  private async postStorageUsage(): Promise<void> {
    const run = this.run;
    if (!run) return;
    const usage = await Promise.all(
      runStorages(run).map(async ({ storageKind, id }) => {
        const folder = await new StorageFolder(run.greenroom.storageDir, [storageKind, id]).usage().catch(() => undefined);
        return folder?.modifiedMs === undefined ? undefined : { size: formatBytes(folder.bytes), modified: new Date(folder.modifiedMs).toISOString() };
      }),
    );
    await this.post({ type: 'storageUsage', usage });
  }

  private async perform(actionId: string): Promise<void> {
    const { actor, run } = this;
    const action = actor && run ? this.actions(actor, run).find((a) => a.id === actionId) : undefined;
    if (!action) return;
    await vscode.commands.executeCommand(action.command, { ...this.location });
    this.redraw.add();
  }

  private async openOutput(index: number): Promise<void> {
    const { actor, run } = this;
    if (!actor || !run) return;
    const entries = outputEntries(actor, run);
    const entry = typeof entries === 'string' ? undefined : entries[index];
    if (!entry) return;
    const storageDir = run.greenroom.storageDir;
    if (entry.localPath?.endsWith(`datasets/${run.defaultDatasetId}`)) {
      await vscode.commands.executeCommand('greenroom.openDatasetViewer', { actorRoot: actor.root, storageDir, id: run.defaultDatasetId });
    } else if (entry.localPath) {
      const record = actor.engine.storages(run.id).keyValueRecords(run.defaultKeyValueStoreId).find((r) => r.file === entry.localPath);
      if (record) await vscode.commands.executeCommand('greenroom.openRecord', { storageDir, storeId: run.defaultKeyValueStoreId, ...record });
      else await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(entry.localPath));
    } else if (/^https?:\/\//i.test(entry.value)) {
      await vscode.env.openExternal(vscode.Uri.parse(entry.value, true));
    }
  }

  private async openStorage(index: number): Promise<void> {
    const run = this.run;
    const storage = run && runStorages(run)[index];
    if (!run || !storage) return;
    const storageDir = run.greenroom.storageDir;
    try {
      if (storage.storageKind === 'datasets') {
        await vscode.commands.executeCommand('greenroom.openDatasetViewer', { actorRoot: this.location.actorRoot, storageDir, id: storage.id });
      } else if (storage.storageKind === 'key_value_stores') {
        const records = new StorageReader(storageDir).keyValueRecords(storage.id);
        const choice = await vscode.window.showQuickPick(records.map((r) => ({ label: r.key, description: r.contentType, record: r })), { title: `Open which record of ${storage.kind.toLowerCase()} ${storage.name}?` });
        if (choice) await vscode.commands.executeCommand('greenroom.openRecord', { storageDir, storeId: storage.id, ...choice.record });
      } else {
        await vscode.commands.executeCommand('workbench.view.extension.greenroom');
      }
    } catch (error) {
      void vscode.window.showErrorMessage(`Cannot open the ${storage.kind.toLowerCase()}: ${errorMessage(error)}`);
    }
  }
}

export function runViewKey(location: RunLocation): string {
  return `${location.actorRoot}\n${location.runId}`;
}

/** JSON inside a <script> element: no `<` can end it early. */
function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function gone(runId: string): RunViewModel {
  return {
    title: `Run ${runId}`,
    status: 'DELETED',
    statusMessage: 'This run no longer exists.',
    fields: [],
    actions: [],
    tabs: [],
    input: '',
    output: [],
    storages: [],
    memoryLimitBytes: 0,
    live: false,
  };
}
