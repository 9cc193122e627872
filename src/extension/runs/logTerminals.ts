/**
 * Logs in the terminal panel: a pseudoterminal per run or build that follows it through the engine (the log so
 * far, then what is appended, whichever process writes it) and says how it ended. Reopening a finished run's log
 * just prints the file.
 */
import * as vscode from 'vscode';
import { FollowSubject, isTerminal } from '../../engine';
import type { ActorEntry } from '../actors/actorRegistry';

export type LogSubject = FollowSubject;

export class LogTerminals implements vscode.Disposable {
  private readonly open = new Map<string, { terminal: vscode.Terminal; pty: LogPty }>();
  private readonly closeListener: vscode.Disposable;

  constructor() {
    this.closeListener = vscode.window.onDidCloseTerminal((terminal) => {
      for (const [key, open] of this.open) if (open.terminal === terminal) this.open.delete(key);
    });
  }

  show(actor: ActorEntry, subject: LogSubject, preserveFocus = false): void {
    const id = subject.kind === 'run' ? subject.runId : subject.buildId;
    const key = `${actor.root}:${id}`;
    const existing = this.open.get(key);
    // A resurrected run's old terminal has printed its end: start a new one that follows the new container.
    if (existing && !(existing.pty.ended && existing.pty.isLive())) return existing.terminal.show(preserveFocus);
    existing?.terminal.dispose();
    const name = subject.kind === 'run' ? `Run ${id}` : `Build ${actor.engine.getBuild(id)?.buildNumber ?? id}`;
    const pty = new LogPty(actor, subject);
    const terminal = vscode.window.createTerminal({ name: `${actor.name}: ${name}`, pty, iconPath: new vscode.ThemeIcon('output') });
    this.open.set(key, { terminal, pty });
    terminal.show(preserveFocus);
  }

  dispose(): void {
    this.closeListener.dispose();
    for (const { terminal } of this.open.values()) terminal.dispose();
  }
}

class LogPty implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.writer.event;
  private readonly stopped = new AbortController();
  ended = false;

  constructor(
    private readonly actor: ActorEntry,
    private readonly subject: LogSubject,
  ) {}

  isLive(): boolean {
    const { engine } = this.actor;
    const record = this.subject.kind === 'run' ? engine.getRun(this.subject.runId) : engine.getBuild(this.subject.buildId);
    return !!record && !isTerminal(record.status);
  }

  open(): void {
    void this.follow();
  }

  close(): void {
    this.stopped.abort();
  }

  private async follow(): Promise<void> {
    const what = this.subject.kind === 'run' ? 'Run' : 'Build';
    for await (const event of this.actor.engine.follow(this.subject, { signal: this.stopped.signal })) {
      if (event.type === 'lines') this.writer.fire(event.lines.join('\r\n') + '\r\n');
      if (event.type === 'missing') this.writer.fire('\r\n\x1b[2m— this record no longer exists\x1b[0m\r\n');
      if (event.type === 'record' && isTerminal(event.record.status)) {
        const { status, statusMessage } = event.record;
        this.writer.fire(`\r\n\x1b[${status === 'SUCCEEDED' ? '32' : '31'}m— ${what} ${status}${statusMessage ? `: ${statusMessage}` : ''}\x1b[0m\r\n`);
      }
    }
    this.ended = !this.stopped.signal.aborted;
  }
}
