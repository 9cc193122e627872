/**
 * Logs in the terminal panel: a pseudoterminal per run or build that prints the persisted log, then follows
 * the file while the engine appends to it (its log events say when; records written by the CLI too), and
 * says how the run ended. Reopening a finished run's log just prints the file.
 */
import * as fs from 'fs';
import * as vscode from 'vscode';
import { isTerminal } from '../../engine';
import { ActorEntry, ActorRegistry } from '../actors/actorRegistry';

/** Internal command the VS Code tests read the open log terminals through (the API cannot read a terminal's text). */
export const LOG_TERMINALS_TEST_COMMAND = 'greenroom.logTerminals._testSnapshot';

export type LogSubject = { kind: 'run'; runId: string } | { kind: 'build'; buildId: string };

export class LogTerminals implements vscode.Disposable {
  private readonly open = new Map<string, { terminal: vscode.Terminal; pty: LogPty }>();
  private readonly listeners: vscode.Disposable[];

  constructor(private readonly registry: ActorRegistry) {
    this.listeners = [
      vscode.window.onDidCloseTerminal((terminal) => {
        for (const [key, open] of this.open) if (open.terminal === terminal) this.open.delete(key);
      }),
      vscode.commands.registerCommand(LOG_TERMINALS_TEST_COMMAND, () =>
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
    this.catchUp();
    if (this.finishIfEnded()) return;
    this.subscriptions.push(
      this.registry.onDidEngineEvent(({ actor, event }) => {
        if (actor !== this.actor) return;
        const mine =
          this.subject.kind === 'run'
            ? (event.type === 'run-log' && event.runId === this.subject.runId) || (event.type === 'run-status' && event.run.id === this.subject.runId)
            : (event.type === 'build-log' && event.buildId === this.subject.buildId) || (event.type === 'build-status' && event.build.id === this.subject.buildId);
        if (mine) this.follow();
      }),
      this.registry.onDidChangeRecords(() => this.follow()),
    );
  }

  close(): void {
    this.stop();
  }

  private follow(): void {
    this.catchUp();
    this.finishIfEnded();
  }

  /** Prints what the log file gained since the last read; a re-attached run rewrites its tail, so start over there. */
  private catchUp(): void {
    let size: number;
    try {
      size = fs.statSync(this.file).size;
    } catch {
      return;
    }
    if (size < this.offset) this.offset = size;
    if (size === this.offset) return;
    const fd = fs.openSync(this.file, 'r');
    try {
      const buffer = Buffer.alloc(size - this.offset);
      fs.readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset = size;
      this.print(buffer.toString('utf8').replace(/\r?\n/g, '\r\n'));
    } finally {
      fs.closeSync(fd);
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
