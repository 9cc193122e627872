/**
 * What the extension's webview hosts (input form, dataset viewer) share: the page that loads their bundled script
 * and stylesheet under a nonce-only CSP, a one-shot "loaded" signal, and the test hook's round trip to the webview.
 */
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';

export interface WebviewPageOptions {
  /** Base name of the bundle in dist/webview/: `<bundle>.js` and `<bundle>.css`. */
  bundle: string;
  title: string;
  /** Static markup shown until the script takes over (trusted: user data only as JSON escaped for a <script> element). */
  placeholder: string;
  /** Image sources beyond the extension's own files. */
  imageSources: string;
}

export function webviewPage(webview: vscode.Webview, extensionUri: vscode.Uri, options: WebviewPageOptions): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file));
  // Scripts only with the nonce, so nothing a schema or an item smuggles in can run; styles from the bundle plus the
  // constructed stylesheets web components adopt (CSP does not govern those).
  const csp = [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} ${options.imageSources}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset(`${options.bundle}.css`)}" nonce="${nonce}">
<title>${escapeHtml(options.title)}</title>
</head>
<body>
${options.placeholder}
<script nonce="${nonce}" src="${asset(`${options.bundle}.js`)}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A signal that fires once; `settled` tells whether it already has. */
class Deferred {
  settled = false;
  resolve!: () => void;
  readonly promise = new Promise<void>((resolve) => {
    this.resolve = () => {
      this.settled = true;
      resolve();
    };
  });
}

const TEST_REPLY_TIMEOUT_MS = 10_000;

/**
 * The host's half of a test hook: an action goes to the webview and the webview itself answers, so tests read and
 * drive the real DOM.
 */
class WebviewTestChannel<Action extends { kind: string }> {
  private readonly pending = new Map<number, (result: unknown) => void>();
  private nextId = 1;

  constructor(
    private readonly webviewName: string,
    private readonly post: (message: { type: 'test'; id: number; action: Action }) => void,
  ) {}

  /** Sends `action` once `loaded` resolves; resolves with the webview's answer. */
  send(action: Action, loaded: Promise<void>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the ${this.webviewName} did not answer the test action ${action.kind}`));
      }, TEST_REPLY_TIMEOUT_MS);
      this.pending.set(id, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      void loaded.then(() => this.post({ type: 'test', id, action }));
    });
  }

  /** The webview's answer to the action with this id. */
  answer(id: number, result: unknown): void {
    this.pending.get(id)?.(result);
    this.pending.delete(id);
  }
}

/** A new webview panel, or one VS Code restores after a reload, set up to run the extension's webview bundles. */
export function prepareWebviewPanel(viewType: string, title: string, extensionUri: vscode.Uri, restored?: vscode.WebviewPanel): vscode.WebviewPanel {
  const panel = restored ?? vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Active, { enableFindWidget: true });
  panel.title = title;
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
  panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')] };
  return panel;
}

/**
 * The life of a webview panel's host: its disposables, the "loaded" signal (renewed when a hidden webview is torn
 * down, since it loads again when shown), the test hook, and one dispose that also closes the panel.
 */
export abstract class WebviewPanelHost<HostMessage, TestAction extends { kind: string }> implements vscode.Disposable {
  protected readonly disposables: vscode.Disposable[] = [];
  /** Settles when the webview has loaded and asked for its content; subclasses resolve it. */
  protected webviewLoaded = new Deferred();
  private readonly tests: WebviewTestChannel<TestAction>;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    webviewName: string,
  ) {
    this.tests = new WebviewTestChannel(webviewName, (message) => void this.panel.webview.postMessage(message));
    this.disposables.push(
      this.panel.onDidDispose(() => this.dispose()),
      // A hidden webview is torn down (its state lives on through setState and this host) and loads again when shown.
      this.panel.onDidChangeViewState(() => {
        if (!this.panel.visible && this.webviewLoaded.settled) this.webviewLoaded = new Deferred();
      }),
    );
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Sends a test action to the webview and resolves with its reply. */
  runTestAction(action: TestAction): Promise<unknown> {
    return this.tests.send(action, this.webviewLoaded.promise);
  }

  protected answerTest(id: number, result: unknown): void {
    this.tests.answer(id, result);
  }

  /** False once the panel is closed: work that finishes later (a run that started, a save) has no page to tell. */
  protected post(message: HostMessage): Thenable<boolean> {
    return this.disposed ? Promise.resolve(false) : this.panel.webview.postMessage(message);
  }

  dispose(): void {
    this.disposed = true;
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}
