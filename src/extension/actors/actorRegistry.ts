/**
 * The workspace's Actors (monorepos, multi-root) for VS Code, over the workspace model (src/workspace: discovery,
 * names, one engine per Actor): searched again when definition files or workspace folders come and go, engines
 * re-created when the Docker or retention settings change, reconciled on start (re-attaching to runs an earlier
 * window left running), disposed with the extension. Views and commands subscribe to
 * `onDidEngineEvent` (the engine's own events) and `onDidChangeRecords` (records written by another process,
 * e.g. the CLI, seen through a file watcher) — nothing polls.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { ActorEngine, DockerUnavailableError, EngineEvent, isTerminal } from '../../engine';
import { ActorWorkspace, findActorRoot, WorkspaceActor } from '../../workspace';
import { Coalescer } from '../coalescer';
import { WindowPlatform } from '../services/localApi';
import { TEST_HOOKS } from '../testHooks';
import { ENGINE_SETTINGS, engineSettings } from './settings';

export interface ActorEntry {
  readonly root: string;
  /** actor.json `name`, else the folder name (WorkspaceActor.name). */
  readonly name: string;
  readonly engine: ActorEngine;
}

/** What a command receives from a menu, a tree item or another command to say which Actor it means. */
export type ActorHint = string | vscode.Uri | { actorRoot: string } | undefined;

const DEFINITION_GLOB = '**/{.actor/actor.json,apify.json}';
const RECORDS_GLOB = '**/.greenroom/{runs,builds}/*.json';
/** Records written by another process are re-read at most this often (a chatty run rewrites its record constantly). */
const RECORDS_INTERVAL_MS = 300;

export class ActorRegistry implements vscode.Disposable {
  private entries = new Map<string, ActorEntry>();
  private unsubscribers = new Map<string, () => void>();
  private readonly engineEvents = new vscode.EventEmitter<{ actor: ActorEntry; event: EngineEvent }>();
  private readonly actorsChanged = new vscode.EventEmitter<void>();
  private readonly recordsChanged = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly recordsChanging = new Coalescer<never>(RECORDS_INTERVAL_MS, () => this.recordsChanged.fire());
  private readonly contextKeys: Record<string, unknown> = {};
  /** The window's local Apify API: every engine's runs are at home on it. */
  readonly localApi: WindowPlatform = new WindowPlatform(() => this.workspace);
  private readonly workspace: ActorWorkspace = new ActorWorkspace({
    roots: () => (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath),
    engineSettings: (actorRoot) => ({ ...engineSettings(actorRoot), platform: this.localApi }),
  });
  /** Why Docker cannot be used, from the last check or command that found it unreachable; cleared by a check that reaches it. */
  dockerProblem: DockerUnavailableError | undefined;

  readonly onDidEngineEvent = this.engineEvents.event;
  readonly onDidChangeActors = this.actorsChanged.event;
  readonly onDidChangeRecords = this.recordsChanged.event;

  /**
   * Calls `listener` whenever what a view shows may have changed: Actors found or lost, records written by another
   * process, or one of the engine events of the given types.
   */
  onDidChange(eventTypes: EngineEvent['type'][], listener: () => void): vscode.Disposable {
    return vscode.Disposable.from(
      this.onDidChangeActors(listener),
      this.onDidChangeRecords(listener),
      this.onDidEngineEvent(({ event }) => {
        if (eventTypes.includes(event.type)) listener();
      }),
    );
  }

  constructor() {
    const definitions = vscode.workspace.createFileSystemWatcher(DEFINITION_GLOB);
    const records = vscode.workspace.createFileSystemWatcher(RECORDS_GLOB);
    // A deleted folder is reported alone, not the definition files inside it: watch deletions of anything.
    const deletions = vscode.workspace.createFileSystemWatcher('**/*', true, true, false);
    const changedRecords = () => this.recordsChanging.add();
    this.disposables.push(
      definitions,
      definitions.onDidCreate(() => void this.discover()),
      definitions.onDidDelete(() => void this.discover()),
      deletions,
      deletions.onDidDelete((uri) => {
        if ([...this.entries.keys()].some((root) => root === uri.fsPath || root.startsWith(uri.fsPath + path.sep))) void this.discover();
      }),
      records,
      records.onDidCreate(changedRecords),
      records.onDidChange(changedRecords),
      records.onDidDelete(changedRecords),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.discover()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (ENGINE_SETTINGS.some((setting) => e.affectsConfiguration(setting))) void this.recreateEngines();
      }),
      vscode.commands.registerCommand(TEST_HOOKS.contextKeys, () => ({ ...this.contextKeys })),
      this.engineEvents,
      this.actorsChanged,
      this.recordsChanged,
    );
  }

  get actors(): ActorEntry[] {
    return [...this.entries.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(actorRoot: string): ActorEntry | undefined {
    return this.entries.get(actorRoot);
  }

  /** Finds the workspace's Actors, makes engines for new ones, drops vanished ones, and checks Docker. */
  async discover(): Promise<void> {
    const found = this.workspace.refresh();
    const roots = new Set(found.map((actor) => actor.root));
    for (const root of this.entries.keys()) if (!roots.has(root)) this.remove(root);
    const added = found.filter((actor) => !this.entries.has(actor.root));
    for (const actor of added) this.add(actor);
    this.setContext('greenroom.hasActor', roots.size > 0);
    if (!roots.size) this.dockerProblem = undefined;
    this.actorsChanged.fire();
    if (added.length) await this.checkDocker(added.map((actor) => actor.root));
  }

  /** Pings Docker through the first Actor's engine and re-attaches the given Actors' unfinished runs. */
  async checkDocker(roots = [...this.entries.keys()]): Promise<void> {
    const first = this.actors[0];
    if (!first) return;
    try {
      await first.engine.docker.ping();
      this.dockerProblem = undefined;
      this.localApi.prepare();
      for (const root of roots) await this.entries.get(root)?.engine.reconcile();
    } catch (error) {
      if (!(error instanceof DockerUnavailableError)) throw error;
      this.dockerProblem = error;
    }
    this.actorsChanged.fire();
  }

  /** A command found Docker unreachable: the views say so until a check (Refresh, "Try Again") reaches it. */
  reportDockerUnavailable(error: DockerUnavailableError): void {
    this.dockerProblem = error;
    this.actorsChanged.fire();
  }

  /** Redraws every view (Refresh, "Show more"). */
  refreshViews(): void {
    this.actorsChanged.fire();
  }

  /** The Actor a command means: the one named by its argument, else the active editor's, else the only one, else asked. */
  async pick(hint: ActorHint, purpose: string): Promise<ActorEntry | undefined> {
    const named = typeof hint === 'string' ? hint : hint instanceof vscode.Uri ? hint.fsPath : hint?.actorRoot;
    if (named) {
      // A folder just created may not be discovered yet; a named folder that is no Actor must not fall back to another.
      const fromHint = this.owning(named) ?? (await this.discover().then(() => this.owning(named)));
      if (!fromHint) void vscode.window.showErrorMessage(`${purpose}: ${named} is not inside an Actor of this workspace.`);
      return fromHint;
    }
    const editorFile = vscode.window.activeTextEditor?.document.uri;
    const fromEditor = editorFile?.scheme === 'file' ? this.owning(editorFile.fsPath) : undefined;
    if (fromEditor) return fromEditor;
    const actors = this.actors;
    if (actors.length === 0) {
      void vscode.window.showWarningMessage('No Actor in this workspace: Greenroom needs a folder with .actor/actor.json (or apify.json).');
      return undefined;
    }
    if (actors.length === 1) return actors[0];
    const picked = await vscode.window.showQuickPick(
      actors.map((actor) => ({ label: actor.name, description: vscode.workspace.asRelativePath(actor.root), actor })),
      { title: `${purpose}: which Actor?` },
    );
    return picked?.actor;
  }

  /** The Actor whose folder holds `file` (the innermost, for nested Actors). */
  owning(file: string): ActorEntry | undefined {
    const root = findActorRoot(file);
    return root ? this.entries.get(root) : undefined;
  }

  /** Runs not yet finished, across every Actor. */
  activeRuns(): { actor: ActorEntry; runId: string }[] {
    return this.actors.flatMap((actor) => actor.engine.listRuns().filter((run) => !isTerminal(run.status)).map((run) => ({ actor, runId: run.id })));
  }

  dispose(): void {
    this.recordsChanging.dispose();
    for (const root of [...this.entries.keys()]) this.remove(root);
    for (const disposable of this.disposables) disposable.dispose();
    this.workspace.dispose();
    this.localApi.dispose();
  }

  private add({ root, name }: Pick<WorkspaceActor, 'root' | 'name'>): void {
    const engine = this.workspace.engineFor(root);
    const entry: ActorEntry = { root, name, engine };
    this.entries.set(root, entry);
    this.unsubscribers.set(
      root,
      engine.onEvent((event) => {
        // The engine says each problem once (a corrupt record: once per version of the file).
        if (event.type === 'warning') void vscode.window.showWarningMessage(`Greenroom: ${event.message}`);
        this.engineEvents.fire({ actor: entry, event });
      }),
    );
  }

  private remove(root: string): void {
    this.unsubscribe(root);
    this.workspace.releaseEngine(root);
    this.entries.delete(root);
  }

  private unsubscribe(root: string): void {
    this.unsubscribers.get(root)?.();
    this.unsubscribers.delete(root);
  }

  private setContext(key: string, value: unknown): void {
    this.contextKeys[key] = value;
    void vscode.commands.executeCommand('setContext', key, value);
  }

  private async recreateEngines(): Promise<void> {
    const actors = [...this.entries.values()];
    for (const { root } of actors) this.unsubscribe(root);
    this.workspace.settingsChanged();
    for (const actor of actors) this.add(actor);
    this.actorsChanged.fire();
    await this.checkDocker();
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
