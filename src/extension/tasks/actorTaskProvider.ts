/**
 * Tasks of type `actor` (build and run), so people can bind keys and chain them in tasks.json:
 *   { "type": "actor", "command": "run", "actor": "actors/scraper", "build": "beta", "memory": 512 }
 * The task's terminal shows the log; its exit code is 0 for a successful build or run.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { ActorEngine, FollowSubject, isTerminal, RunHandle, runName, RunStartOptions } from '../../engine';
import { ActorEntry, ActorRegistry, errorMessage } from '../actors/actorRegistry';
import { runDefaults } from '../actors/settings';

interface ActorTaskDefinition extends vscode.TaskDefinition {
  command: 'build' | 'run';
  /** The Actor's folder, relative to the workspace folder; default: the only Actor. */
  actor?: string;
  build?: string;
  memory?: number;
  timeout?: number;
  inputFile?: string;
  sharedStorage?: boolean;
}

export function registerActorTasks(registry: ActorRegistry): vscode.Disposable {
  return vscode.tasks.registerTaskProvider('actor', {
    provideTasks: () =>
      registry.actors.flatMap((actor) => {
        const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(actor.root));
        const relative = folder ? path.relative(folder.uri.fsPath, actor.root) || '.' : actor.root;
        return (['build', 'run'] as const).map((command) => makeTask(registry, { type: 'actor', command, actor: relative }, folder ?? vscode.TaskScope.Workspace));
      }),
    resolveTask: (task) => makeTask(registry, task.definition as ActorTaskDefinition, task.scope ?? vscode.TaskScope.Workspace),
  });
}

function makeTask(registry: ActorRegistry, definition: ActorTaskDefinition, scope: vscode.WorkspaceFolder | vscode.TaskScope): vscode.Task {
  const folder = typeof scope === 'object' ? scope.uri.fsPath : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  const actorName = definition.actor && definition.actor !== '.' ? definition.actor : path.basename(folder);
  const task = new vscode.Task(
    definition,
    scope,
    `${definition.command} ${actorName}`,
    'actor',
    new vscode.CustomExecution(async () => new ActorTaskTerminal(registry, definition, folder)),
  );
  task.group = definition.command === 'build' ? vscode.TaskGroup.Build : undefined;
  return task;
}

class ActorTaskTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  private readonly closed = new AbortController();
  private abort: (() => void) | undefined;

  constructor(
    private readonly registry: ActorRegistry,
    private readonly definition: ActorTaskDefinition,
    private readonly folder: string,
  ) {}

  open(): void {
    void this.execute().then(
      (code) => this.finish(code),
      (error: unknown) => {
        this.print(`\x1b[31m${errorMessage(error)}\x1b[0m`);
        this.finish(1);
      },
    );
  }

  close(): void {
    this.abort?.();
    this.closed.abort();
  }

  private async execute(): Promise<number> {
    // A task started with the window (tasks.json, runOn: folderOpen) may come before the Actors are discovered.
    const actor = this.actor() ?? (await this.registry.discover().then(() => this.actor()));
    if (!actor) throw new Error(this.missingActor());
    const { engine } = actor;
    if (this.definition.command === 'build') {
      const handle = engine.build({ tag: this.definition.build });
      this.abort = () => handle.abort();
      await this.show(engine, { kind: 'build', buildId: handle.id });
      const build = await handle.finished;
      return build.status === 'SUCCEEDED' ? 0 : 1;
    }
    const options: RunStartOptions = {
      ...runDefaults(actor.root),
      build: this.definition.build,
      sharedStorage: this.definition.sharedStorage,
      inputFile: this.definition.inputFile && path.resolve(actor.root, this.definition.inputFile),
    };
    if (this.definition.memory) options.memoryMbytes = this.definition.memory;
    if (this.definition.timeout !== undefined) options.timeoutSecs = this.definition.timeout;
    // Until the run has started, the build it may need first is what logs.
    const unsubscribe = engine.onEvent((event) => {
      if (event.type === 'build-log') event.lines.forEach((line) => this.print(line));
    });
    let handle: RunHandle;
    try {
      handle = await engine.run(options);
    } finally {
      unsubscribe();
    }
    this.abort = () => {
      if (!isTerminal(engine.getRun(handle.id)?.status ?? 'SUCCEEDED')) void handle.abort({ graceful: true });
    };
    await this.show(engine, { kind: 'run', runId: handle.id });
    const run = await handle.finished;
    return run.status === 'SUCCEEDED' ? 0 : 1;
  }

  /** The build's or run's log until it ends, then how it ended. */
  private async show(engine: ActorEngine, subject: FollowSubject): Promise<void> {
    for await (const event of engine.follow(subject, { signal: this.closed.signal })) {
      if (event.type === 'lines') event.lines.forEach((line) => this.print(line));
      if (event.type === 'record' && isTerminal(event.record.status)) {
        const { record } = event;
        const name = 'defaultDatasetId' in record ? runName(record) : `Build ${record.buildNumber}`;
        this.print(`— ${name} ${record.status}${record.statusMessage ? `: ${record.statusMessage}` : ''}`);
      }
    }
  }

  private actor(): ActorEntry | undefined {
    if (this.definition.actor) return this.registry.get(path.resolve(this.folder, this.definition.actor));
    return this.registry.actors.length === 1 ? this.registry.actors[0] : undefined;
  }

  private missingActor(): string {
    if (this.definition.actor) return `No Actor at ${path.resolve(this.folder, this.definition.actor)}`;
    return this.registry.actors.length ? 'Several Actors in the workspace: name one with "actor" in the task' : 'No Actor in this workspace';
  }

  private print(line: string): void {
    this.writer.fire(line.replace(/\r?\n/g, '\r\n') + '\r\n');
  }

  private finish(code: number): void {
    this.abort = undefined;
    this.closer.fire(code);
  }
}
