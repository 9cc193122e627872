/**
 * The Tasks view: each Actor's tasks (`.actor/tasks.json`), run from their node, and its schedules
 * (`.actor/schedules.json`) with their next fire time. The window's scheduler fires the schedules while the window
 * is open (src/workspace/scheduler.ts: missed fires are not replayed); its runs show in the Runs view, origin
 * SCHEDULER. Files edited on disk redraw the view and re-read the schedules.
 */
import * as vscode from 'vscode';
import { describeActor, readActorSchedules, readActorTasks, TaskFileError, taskIdOf, taskRunOptions } from '../../../workspace';
import type { RunStartOptions } from '../../../engine/runs';
import { describeFire, Scheduler, ScheduleState } from '../../../workspace/scheduler';
import { claimScheduling, releaseScheduling, schedulingProcess } from '../../../workspace/schedulerLock';
import { tasksFile } from '../../../workspace/tasks';
import { schedulesFile, scheduleTarget } from '../../../workspace/schedules';
import { ActorEntry, ActorRegistry, errorMessage } from '../../actors/actorRegistry';
import { pickTask } from '../../actors/pickTask';
import { startRun } from '../../runs/startRun';
import { Services } from '../../services/services';
import { TEST_HOOKS } from '../../testHooks';
import { ActorNode } from '../actorNode';
import { formatTime } from '../format';
import { drawnItems, NodeTreeProvider, orPlaceholder, StaticNode, TreeNode } from '../treeNode';

const FILES_GLOB = '**/.actor/{tasks,schedules}.json';

/** The folder whose `.greenroom/scheduler.json` says which process fires (the window's first, as its local API's). */
function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.find((folder) => folder.uri.scheme === 'file')?.uri.fsPath;
}

export function registerTasksView(services: Services): vscode.Disposable {
  const { registry } = services;
  const root = workspaceRoot();
  const scheduler = new Scheduler({
    mayFire: () => root === undefined || claimScheduling(root),
    actors: () => registry.actors.map((actor) => describeActor(actor.root)),
    startRun: async (actor, options) => {
      const entry = registry.get(actor.root);
      if (!entry) throw new Error(`${actor.name} is no longer in the workspace`);
      const handle = await entry.engine.run(options);
      handle.finished.catch(() => undefined);
      return { id: handle.id };
    },
    startBuild: (actor, options) => {
      const entry = registry.get(actor.root);
      if (!entry) throw new Error(`${actor.name} is no longer in the workspace`);
      return entry.engine.build(options);
    },
    onChange: () => provider.refresh(),
    onFire: (state) => {
      if (state.lastError) void vscode.window.showWarningMessage(`Schedule ${state.schedule.name} of ${state.actor.name}: ${describeFire(state)}`);
      provider.refresh();
    },
  });
  const provider = new NodeTreeProvider(() => rootNodes(registry, scheduler));
  const view = vscode.window.createTreeView('greenroom.tasks', { treeDataProvider: provider, showCollapseAll: true });
  const files = vscode.workspace.createFileSystemWatcher(FILES_GLOB);
  const changed = () => {
    scheduler.reload();
    provider.refresh();
  };
  scheduler.start();
  return vscode.Disposable.from(
    provider,
    view,
    files,
    files.onDidCreate(changed),
    files.onDidChange(changed),
    files.onDidDelete(changed),
    registry.onDidChangeActors(changed),
    {
      dispose: () => {
        scheduler.stop();
        if (root) releaseScheduling(root);
      },
    },
    vscode.commands.registerCommand('greenroom.runTask', (target?: TaskRunTarget) => runTask(services, target)),
    vscode.commands.registerCommand('greenroom.openTasksFile', (node?: { actorRoot?: string; file?: string }) => openFile(registry, node)),
    vscode.commands.registerCommand(TEST_HOOKS.tasksView, () => drawnItems(rootNodes(registry, scheduler))),
  );
}

/** A task to run; its input form passes the whole input it shows and the run options set beside Run. */
interface TaskRunTarget {
  actorRoot: string;
  taskName: string;
  input?: Record<string, unknown>;
  options?: RunStartOptions;
}

/** Runs a task: the node's (or the target's), else one picked from every Actor's tasks. Returns the run's id. */
async function runTask(services: Services, target: TaskRunTarget | undefined): Promise<string | undefined> {
  const found = await pickTask(services.registry, target, 'Run Task');
  if (!found) return undefined;
  const { actor, task } = found;
  const options = { ...taskRunOptions(task, target?.options), ...(target?.input && { input: target.input }) };
  return (await startRun(services, actor, { ...options, task: { id: taskIdOf(actor.name, task.name), name: task.name } }))?.id;
}

async function openFile(registry: ActorRegistry, node: { actorRoot?: string; file?: string } | undefined): Promise<void> {
  const actor = await registry.pick(node?.actorRoot ? { actorRoot: node.actorRoot } : undefined, 'Open Tasks File');
  if (!actor) return;
  const file = node?.file ?? tasksFile(actor.root);
  try {
    await vscode.window.showTextDocument(vscode.Uri.file(file));
  } catch {
    // No file yet: an untitled editor at its place, saved where it belongs.
    await vscode.window.showTextDocument(vscode.Uri.file(file).with({ scheme: 'untitled' }));
  }
}

/** Says so when another process fires the workspace's schedules. */
function firingElsewhere(): string | undefined {
  const root = workspaceRoot();
  const pid = root && schedulingProcess(root);
  return pid && pid !== process.pid ? `Fired by process ${pid} (another window or greenroom serve), not this window` : undefined;
}

function rootNodes(registry: ActorRegistry, scheduler: Scheduler): TreeNode[] {
  const actors = registry.actors;
  const schedules = scheduler.schedules();
  const of = (actor: ActorEntry) => actorChildren(actor, schedules.filter((state) => state.actor.root === actor.root));
  if (actors.length === 1) return of(actors[0]);
  return actors.map((actor) => new ActorNode(actor, () => orPlaceholder(of(actor), 'No tasks or schedules')));
}

function actorChildren(actor: ActorEntry, schedules: ScheduleState[]): TreeNode[] {
  const nodes: TreeNode[] = [];
  try {
    for (const task of readActorTasks(actor.root)) nodes.push(new TaskNode(actor, task.name, task.title));
  } catch (error) {
    nodes.push(problemNode(actor, tasksFile(actor.root), error));
  }
  for (const state of schedules) nodes.push(new ScheduleNode(actor, state));
  // The scheduler skips a broken schedules file (so the Actor has no schedule states); the view says why.
  if (!schedules.length) {
    try {
      readActorSchedules(actor.root);
    } catch (error) {
      nodes.push(problemNode(actor, schedulesFile(actor.root), error));
    }
  }
  return nodes;
}

function problemNode(actor: ActorEntry, file: string, error: unknown): TreeNode {
  const message = error instanceof TaskFileError ? error.problems.join('; ') : errorMessage(error);
  const item = new vscode.TreeItem(`${vscode.workspace.asRelativePath(file)} cannot be read`);
  item.description = message;
  item.tooltip = message;
  item.iconPath = new vscode.ThemeIcon('error');
  item.command = { command: 'greenroom.openTasksFile', title: 'Open', arguments: [{ actorRoot: actor.root, file }] };
  item.contextValue = 'greenroom.tasksProblem';
  return new StaticNode(item);
}

class TaskNode implements TreeNode {
  constructor(
    readonly actor: ActorEntry,
    readonly taskName: string,
    private readonly title: string | undefined,
  ) {}
  get actorRoot(): string {
    return this.actor.root;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.taskName);
    item.id = `task:${this.actor.root}:${this.taskName}`;
    item.description = this.title;
    item.tooltip = `Task ${this.taskName} of ${this.actor.name} (${vscode.workspace.asRelativePath(tasksFile(this.actor.root))})`;
    item.iconPath = new vscode.ThemeIcon('checklist');
    item.contextValue = 'greenroom.task';
    // As in the Console, a task opens on its input (the tasks file is in the row's menu).
    item.command = { command: 'greenroom.editTaskInput', title: 'Edit Task Input', arguments: [{ actorRoot: this.actor.root, taskName: this.taskName }] };
    return item;
  }
}

class ScheduleNode implements TreeNode {
  constructor(
    readonly actor: ActorEntry,
    private readonly state: ScheduleState,
  ) {}
  get actorRoot(): string {
    return this.actor.root;
  }
  treeItem(): vscode.TreeItem {
    const { schedule, nextAt, lastError, lastFiredAt } = this.state;
    const item = new vscode.TreeItem(schedule.name);
    item.id = `schedule:${this.actor.root}:${schedule.name}`;
    const next = !schedule.enabled ? 'disabled' : nextAt ? `next ${formatTime(nextAt.toISOString())}` : 'never again';
    item.description = `${schedule.cron} · ${next}`;
    item.tooltip = [
      `Schedule ${schedule.name}: ${schedule.cron}${schedule.timezone === 'UTC' ? ' (UTC)' : ` (${schedule.timezone})`}, fires ${scheduleTarget(schedule)}`,
      nextAt ? `Next: ${nextAt.toLocaleString()}` : undefined,
      lastFiredAt ? `Last: ${lastFiredAt.toLocaleString()}${lastError ? ` — ${describeFire(this.state)}` : ''}` : undefined,
      firingElsewhere(),
      'Fires while this window (or greenroom serve) is open; fires missed meanwhile are not replayed.',
    ]
      .filter(Boolean)
      .join('\n');
    item.iconPath = new vscode.ThemeIcon(lastError ? 'warning' : schedule.enabled ? 'clock' : 'circle-slash');
    item.contextValue = 'greenroom.schedule';
    item.command = { command: 'greenroom.openTasksFile', title: 'Open Schedules File', arguments: [{ actorRoot: this.actor.root, file: schedulesFile(this.actor.root) }] };
    return item;
  }
}
