/**
 * Logs in the terminal panel: a pseudoterminal per run or build that follows it through the engine (the log so
 * far, then what is appended, whichever process writes it) and says how it ended. Reopening a finished run's log
 * just prints the file.
 */
import * as vscode from 'vscode';
import { FollowSubject, isTerminal, runName } from '../../engine';
import type { ActorEntry } from '../actors/actorRegistry';
import { LogTerminalSnapshot, TEST_HOOKS } from '../testHooks';

/** How often a followed log is printed at most: a chatty Actor's lines arrive in one write per interval. */
const PRINT_INTERVAL_MS = 50;
/** How many of the last lines written the tests' snapshot holds. */
const SNAPSHOT_LINES = 5;

export class LogTerminals implements vscode.Disposable {
  private readonly open = new Map<string, { terminal: vscode.Terminal; pty: LogPty }>();
  private readonly listeners: vscode.Disposable[];

  constructor() {
    this.listeners = [
      vscode.window.onDidCloseTerminal((terminal) => {
        for (const [key, open] of this.open) if (open.terminal === terminal) this.open.delete(key);
      }),
      vscode.commands.registerCommand(TEST_HOOKS.logTerminals, (): LogTerminalSnapshot[] =>
        [...this.open.values()].map(({ terminal, pty }) => ({ name: terminal.name, id: pty.id, lastLines: pty.lastLines, opened: pty.opened, ended: pty.ended })),
      ),
    ];
  }

  show(actor: ActorEntry, subject: FollowSubject, preserveFocus = false): void {
    const id = subject.kind === 'run' ? subject.runId : subject.buildId;
    const key = `${actor.root}:${id}`;
    const existing = this.open.get(key);
    // A resurrected run's old terminal has printed its end: start a new one that follows the new container.
    if (existing && !(existing.pty.ended && existing.pty.isLive())) return existing.terminal.show(preserveFocus);
    existing?.terminal.dispose();
    const run = subject.kind === 'run' ? actor.engine.getRun(id) : undefined;
    const name = subject.kind === 'run' ? (run ? runName(run) : `Run ${id}`) : `Build ${actor.engine.getBuild(id)?.buildNumber ?? id}`;
    const pty = new LogPty(actor, subject);
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
  private readonly stopped = new AbortController();
  ended = false;
  opened = false;
  /** The last lines written, for the tests' snapshot. */
  lastLines: string[] = [];
  /** Text waiting for the next write (one write per interval, however many log events arrive), and the last lines it ends. */
  private pending = '';
  private pendingLastLines: string[] = [];
  private printTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly actor: ActorEntry,
    private readonly subject: FollowSubject,
  ) {}

  get id(): string {
    return this.subject.kind === 'run' ? this.subject.runId : this.subject.buildId;
  }

  isLive(): boolean {
    const { engine } = this.actor;
    const record = this.subject.kind === 'run' ? engine.getRun(this.subject.runId) : engine.getBuild(this.subject.buildId);
    return !!record && !isTerminal(record.status);
  }

  open(): void {
    this.opened = true;
    void this.follow();
  }

  close(): void {
    this.stopped.abort();
    clearTimeout(this.printTimer);
  }

  private async follow(): Promise<void> {
    const what = this.subject.kind === 'run' ? 'Run' : 'Build';
    for await (const event of this.actor.engine.follow(this.subject, { signal: this.stopped.signal })) {
      if (event.type === 'lines') this.print(event.lines);
      if (event.type === 'missing') this.print(['', '\x1b[2m— this record no longer exists\x1b[0m']);
      if (event.type === 'record' && isTerminal(event.record.status)) {
        const { status, statusMessage } = event.record;
        this.print(['', `\x1b[${status === 'SUCCEEDED' ? '32' : '31'}m— ${what} ${status}${statusMessage ? `: ${statusMessage}` : ''}\x1b[0m`]);
      }
    }
    this.flush();
    this.ended = !this.stopped.signal.aborted;
  }

  private print(lines: string[]): void {
    if (lines.length === 0) return;
    this.pending += lines.join('\r\n') + '\r\n';
    this.pendingLastLines = [...this.pendingLastLines, ...lines.slice(-SNAPSHOT_LINES)].slice(-SNAPSHOT_LINES);
    this.printTimer ??= setTimeout(() => this.flush(), PRINT_INTERVAL_MS);
  }

  private flush(): void {
    clearTimeout(this.printTimer);
    this.printTimer = undefined;
    if (this.pending) {
      this.writer.fire(this.pending);
      this.lastLines = this.pendingLastLines;
    }
    this.pending = '';
  }
}
