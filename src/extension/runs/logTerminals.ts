/**
 * Logs in the terminal panel: a pseudoterminal per run or build that prints the persisted log, then follows
 * the file while the engine appends to it (its log events say when; records written by the CLI too), and
 * says how the run ended. Reopening a finished run's log just prints the file.
 */
import * as fs from 'fs';
import { StringDecoder } from 'string_decoder';
import * as vscode from 'vscode';
import { isTerminal } from '../../engine';
import { ActorEntry, ActorRegistry } from '../actors/actorRegistry';
import { LogTerminalSnapshot, TEST_HOOKS } from '../testHooks';

/** How often a followed log is printed at most: a chatty Actor's lines arrive in one write per interval. */
const PRINT_INTERVAL_MS = 50;
/** The most one write prints: a long log already written comes in steps, not as one huge write. */
const MAX_PRINT_BYTES = 1 << 20;

export type LogSubject = { kind: 'run'; runId: string } | { kind: 'build'; buildId: string };

export class LogTerminals implements vscode.Disposable {
  private readonly open = new Map<string, { terminal: vscode.Terminal; pty: LogPty }>();
  private readonly listeners: vscode.Disposable[];

  constructor(private readonly registry: ActorRegistry) {
    this.listeners = [
      vscode.window.onDidCloseTerminal((terminal) => {
        for (const [key, open] of this.open) if (open.terminal === terminal) this.open.delete(key);
      }),
      vscode.commands.registerCommand(TEST_HOOKS.logTerminals, (): LogTerminalSnapshot[] =>
        [...this.open.values()].map(({ terminal, pty }) => ({ name: terminal.name, lastLine: pty.lastLine, ended: pty.ended })),
      ),
    ];
  }

  show(actor: ActorEntry, subject: LogSubject, preserveFocus = false): void {
    const id = subject.kind === 'run' ? subject.runId : subject.buildId;
    const key = `${actor.root}:${id}`;
    const existing = this.open.get(key);
    // A resurrected run's old terminal has printed its end: start a new one that follows the new container.
    if (existing && !(existing.pty.ended && existing.pty.isLive())) return existing.terminal.show(preserveFocus);
    existing?.terminal.dispose();
    const name = subject.kind === 'run' ? `Run ${id}` : `Build ${actor.engine.getBuild(id)?.buildNumber ?? id}`;
    const pty = new LogPty(this.registry, actor, subject);
    const terminal = vscode.window.createTerminal({ name: `${actor.name}: ${name}`, pty, iconPath: new vscode.ThemeIcon('output') });
    this.open.set(key, { terminal, pty });
    terminal.show(preserveFocus);
  }

  dispose(): void {
    for (const listener of this.listeners) listener.dispose();
    for (const { terminal } of this.open.values()) terminal.dispose();
  }
}

class LogPty implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.writer.event;
  private offset = 0;
  ended = false;
  /** The last line printed, for the tests' snapshot. */
  lastLine = '';
  private subscriptions: vscode.Disposable[] = [];
  private closed = false;
  /** A catch-up is waiting for its turn; status events since the last one. */
  private queued = false;
  private statusChanged = false;
  private printing: Promise<void> = Promise.resolve();
  /** A read may end inside a character. */
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly registry: ActorRegistry,
    private readonly actor: ActorEntry,
    private readonly subject: LogSubject,
  ) {}

  isLive(): boolean {
    const record = this.record();
    return !!record && !isTerminal(record.status);
  }

  private record() {
    const { engine } = this.actor;
    return this.subject.kind === 'run' ? engine.getRun(this.subject.runId) : engine.getBuild(this.subject.buildId);
  }

  private get file(): string {
    const { layout } = this.actor.engine;
    return this.subject.kind === 'run' ? layout.runLog(this.subject.runId) : layout.buildLog(this.subject.buildId);
  }

  open(): void {
    this.subscriptions.push(
      this.registry.onDidEngineEvent(({ actor, event }) => {
        if (actor !== this.actor) return;
        const { subject } = this;
        const [log, status] =
          subject.kind === 'run'
            ? [event.type === 'run-log' && event.runId === subject.runId, event.type === 'run-status' && event.run.id === subject.runId]
            : [event.type === 'build-log' && event.buildId === subject.buildId, event.type === 'build-status' && event.build.id === subject.buildId];
        if (log || status) this.follow(status);
      }),
      this.registry.onDidChangeRecords(() => this.follow(true)),
    );
    this.follow(true);
  }

  close(): void {
    this.closed = true;
    this.stop();
  }

  /**
   * Queues one catch-up: however many log events arrive meanwhile, the terminal gets one write per interval.
   * `statusChanged`: afterwards, check whether the record has ended.
   */
  private follow(statusChanged: boolean): void {
    this.statusChanged ||= statusChanged;
    if (this.queued || this.ended || this.closed) return;
    this.queued = true;
    this.printing = this.printing.then(() => new Promise((resolve) => setTimeout(resolve, PRINT_INTERVAL_MS))).then(() => this.step());
  }

  private async step(): Promise<void> {
    this.queued = false;
    if (this.closed) return;
    const checkEnd = this.statusChanged;
    this.statusChanged = false;
    const more = await this.catchUp().catch(() => false);
    // The end is printed after the whole log.
    if (more) this.follow(checkEnd);
    else if (checkEnd) this.finishIfEnded();
  }

  /**
   * Prints (part of) what the log file gained since the last read, without blocking the extension host; true when
   * more is left. A re-attached run rewrites its tail, so start over there.
   */
  private async catchUp(): Promise<boolean> {
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(this.file, 'r');
    } catch {
      return false;
    }
    try {
      const { size } = await handle.stat();
      if (size < this.offset) this.offset = size;
      if (size === this.offset) return false;
      const buffer = Buffer.alloc(Math.min(size - this.offset, MAX_PRINT_BYTES));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      this.offset += bytesRead;
      this.print(this.decoder.write(buffer.subarray(0, bytesRead)).replace(/\r?\n/g, '\r\n'));
      return this.offset < size;
    } finally {
      await handle.close();
    }
  }

  private print(text: string): void {
    this.writer.fire(text);
    const lines = text.split('\r\n').filter(Boolean);
    if (lines.length) this.lastLine = lines[lines.length - 1];
  }

  private finishIfEnded(): boolean {
    if (this.ended) return true;
    const record = this.record();
    if (!record) {
      this.print('\r\n\x1b[2m— this record no longer exists\x1b[0m\r\n');
    } else if (isTerminal(record.status)) {
      const colour = record.status === 'SUCCEEDED' ? '32' : '31';
      const message = record.statusMessage ? `: ${record.statusMessage}` : '';
      this.print(`\r\n\x1b[${colour}m— ${this.subject.kind === 'run' ? 'Run' : 'Build'} ${record.status}${message}\x1b[0m\r\n`);
    } else {
      return false;
    }
    this.ended = true;
    this.stop();
    return true;
  }

  private stop(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
  }
}
