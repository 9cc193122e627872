import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import {
  createMessageConnection,
  MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import type { Diagnostic, InitializeResult } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { ServerStatus, STATUS_NOTIFICATION } from '../../server/src/protocol';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const SERVER = path.join(REPO_ROOT, 'dist', 'server.js');
/**
 * How long waitFor waits before it gives up with what it saw: far beyond a validation's real time (milliseconds),
 * so that only a server that never answers runs into it, even on a machine busy with other work.
 */
export const WAIT_CEILING_MS = 60_000;

export interface PublishedDiagnostics {
  uri: string;
  diagnostics: Diagnostic[];
}

/**
 * The bundled language server as a child process, spoken to over stdio exactly as an editor would.
 * Settings the server asks for through workspace/configuration come from `settings`.
 */
export class LspProcess {
  readonly connection: MessageConnection;
  readonly published = new Map<string, Diagnostic[]>();
  private readonly publishCounts = new Map<string, number>();
  publishCount = 0;
  private lastPublished: PublishedDiagnostics | undefined;
  /** Validations the server finished (it reports `idle` after each). */
  validationCount = 0;
  private readonly process: ChildProcess;
  private readonly waiters: { predicate: () => boolean; resolve: () => void }[] = [];
  private exited: number | null | undefined;
  stderr = '';

  constructor(private readonly settings: Record<string, unknown> = { enable: true, warnings: 'all', debounceMs: 0 }) {
    this.process = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (chunk) => (this.stderr += chunk));
    this.process.on('exit', (code) => (this.exited = code));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishedDiagnostics) => {
      this.published.set(params.uri, params.diagnostics);
      this.publishCounts.set(params.uri, (this.publishCounts.get(params.uri) ?? 0) + 1);
      this.publishCount++;
      this.lastPublished = params;
      this.wake();
    });
    this.connection.onNotification(STATUS_NOTIFICATION, (status: ServerStatus) => {
      if (status.state === 'idle') this.validationCount++;
      this.wake();
    });
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map(() => this.settings),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.listen();
  }

  get isAlive(): boolean {
    return this.exited === undefined;
  }

  async initialize(workspaceFolder: string): Promise<InitializeResult> {
    const uri = URI.file(workspaceFolder).toString();
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: 'workspace' }],
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(filePath: string, text: string, languageId = 'json', version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: URI.file(filePath).toString(), languageId, version, text },
    });
  }

  /** Replaces the whole document (a full-content change is valid under incremental sync too). */
  change(filePath: string, text: string, version: number): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI.file(filePath).toString(), version },
      contentChanges: [{ text }],
    });
  }

  /** How many times diagnostics of this file were published so far. */
  publishCountOf(filePath: string): number {
    return this.publishCounts.get(URI.file(filePath).toString()) ?? 0;
  }

  diagnosticsOf(filePath: string): Diagnostic[] | undefined {
    return this.published.get(URI.file(filePath).toString());
  }

  /**
   * Resolves once `predicate` holds, checked after each publish and status; after `ceilingMs` rejects with `what`
   * and the last thing the server said.
   */
  waitFor(what: string, predicate: () => boolean, ceilingMs = WAIT_CEILING_MS): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`gave up after ${ceilingMs / 1000} s waiting for ${what}; ${this.lastSeen()}`)), ceilingMs);
      this.waiters.push({ predicate, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  /** Resolves once the server has finished a validation it had not finished when `after` was taken (see validationCount). */
  waitForValidation(what: string, after = this.validationCount): Promise<void> {
    return this.waitFor(what, () => this.validationCount > after);
  }

  private lastSeen(): string {
    const last = this.lastPublished
      ? `the last of ${this.publishCount} publishes: ${this.lastPublished.uri}: [${this.lastPublished.diagnostics.map(messageOf).join(' | ')}]`
      : 'no diagnostics published';
    return `${this.validationCount} validations finished, ${last}; server ${this.isAlive ? 'running' : `exited (${this.exited})`}, stderr:\n${this.stderr}`;
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  async stop(): Promise<void> {
    if (this.isAlive) {
      await this.connection.sendRequest('shutdown').catch(() => undefined);
      await this.connection.sendNotification('exit').catch(() => undefined);
    }
    this.connection.dispose();
    this.process.kill();
  }
}

/** LSP 3.18 allows markup in diagnostic messages; ours are plain strings. */
export function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

export function uriOf(filePath: string): string {
  return URI.file(filePath).toString();
}
