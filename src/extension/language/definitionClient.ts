import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, State, TransportKind } from 'vscode-languageclient/node';
import { InitializationOptions, ServerStatus, STATUS_NOTIFICATION } from '../../../server/src/protocol';

/**
 * The language of .actor/*.json, INPUT_SCHEMA.json and apify.json (package.json `contributes.languages`). Owning
 * these files keeps VS Code's JSON support from fetching their Apify "$schema" and reporting every problem twice.
 */
const ACTOR_DEFINITION_LANGUAGE = 'actor-definition';

/**
 * Starts the bundled definition language server over IPC and shows its state in a language status item.
 * vscode-languageclient restarts a crashed server by itself; the status item says when it has given up.
 */
export class DefinitionClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private readonly status: vscode.LanguageStatusItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.status = vscode.languages.createLanguageStatusItem('greenroom.definitionServer', [
      { language: ACTOR_DEFINITION_LANGUAGE },
      { language: 'json', pattern: '**/storage/key_value_stores/*/INPUT.json' },
    ]);
    this.status.name = 'Greenroom Actor definitions';
    this.status.command = { command: 'greenroom.restartLanguageServer', title: 'Restart' };
    this.setStatusText('Starting…', true);
  }

  async start(): Promise<void> {
    const serverModule = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      // Schemas referenced from elsewhere (monorepos) and INPUT.json files stay plain JSON: the server sorts them out.
      documentSelector: [
        { scheme: 'file', language: ACTOR_DEFINITION_LANGUAGE },
        { scheme: 'file', language: 'json' },
        { scheme: 'file', language: 'jsonc' },
      ],
      synchronize: {
        fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.json,Dockerfile,*.md,.dockerignore}'),
      },
      initializationOptions: { clientReportsJsonSyntax: true } satisfies InitializationOptions,
      diagnosticCollectionName: 'greenroom',
    };
    this.client = new LanguageClient('greenroom', 'Greenroom Actor definitions', serverOptions, clientOptions);
    this.disposables.push(
      this.client.onDidChangeState(({ newState }) => {
        if (newState === State.Stopped) this.setStatusText('Stopped — click to restart', false, vscode.LanguageStatusSeverity.Error);
      }),
    );
    await this.client.start();
    this.disposables.push(this.client.onNotification(STATUS_NOTIFICATION, (status: ServerStatus) => this.showStatus(status)));
    this.setStatusText('Ready', false);
  }

  async restart(): Promise<void> {
    this.setStatusText('Restarting…', true);
    if (this.client?.isRunning()) await this.client.restart();
    else await this.start();
    this.setStatusText('Ready', false);
  }

  private showStatus(status: ServerStatus): void {
    if (status.state === 'validating') {
      this.status.busy = true;
      return;
    }
    const problems = [
      status.errors ? `${status.errors} error${status.errors === 1 ? '' : 's'}` : '',
      status.warnings ? `${status.warnings} warning${status.warnings === 1 ? '' : 's'}` : '',
    ].filter(Boolean);
    const actors = `${status.actors} Actor${status.actors === 1 ? '' : 's'}`;
    this.setStatusText(problems.length ? `${problems.join(', ')} in ${actors}` : `${actors} valid`, false,
      status.errors ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information);
    this.status.detail = `validated in ${status.lastValidationMs.toFixed(1)} ms`;
  }

  private setStatusText(text: string, busy: boolean, severity = vscode.LanguageStatusSeverity.Information): void {
    this.status.text = `Greenroom: ${text}`;
    this.status.busy = busy;
    this.status.severity = severity;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.status.dispose();
    void this.client?.stop();
  }
}
