/**
 * The Runs view: newest first, per Actor; while Docker is unreachable, the engine's explanation as the view's
 * message and the ways out above the runs.
 * Redrawn on the engine's status events and on records written by other processes; while a run is unfinished
 * its elapsed time ticks once a second (and only then).
 */
import * as vscode from 'vscode';
import { ActorEntry, ActorRegistry } from '../../actors/actorRegistry';
import { TEST_HOOKS } from '../../testHooks';
import { drawnItems, NodeTreeProvider, orPlaceholder, TreeNode } from '../treeNode';
import { dockerProblemNodes } from './dockerProblemNode';
import { ActorNode } from '../actorNode';
import { RunNode } from './runNodes';

const TICK_MS = 1000;

export function registerRunsView(registry: ActorRegistry): vscode.Disposable {
  const provider = new NodeTreeProvider(() => rootNodes(registry));
  const view = vscode.window.createTreeView('greenroom.runs', { treeDataProvider: provider, showCollapseAll: true });
  let ticker: NodeJS.Timeout | undefined;

  const redraw = () => {
    provider.refresh();
    view.message = registry.dockerProblem?.message;
    const running = registry.activeRuns().length > 0;
    if (running && !ticker) ticker = setInterval(() => provider.refresh(), TICK_MS);
    if (!running && ticker) ticker = void clearInterval(ticker);
  };

  redraw();
  return vscode.Disposable.from(
    provider,
    view,
    registry.onDidChange(['run-status', 'run-deleted'], redraw),
    { dispose: () => clearInterval(ticker) },
    vscode.commands.registerCommand(TEST_HOOKS.runsView, () => drawnItems(rootNodes(registry))),
    vscode.commands.registerCommand(TEST_HOOKS.runsViewMessage, () => view.message),
  );
}

/**
 * One Actor: its runs, or nothing (the view's welcome content then offers a first run). Several: a group per
 * Actor, each with its runs or a "No runs yet" line.
 */
function rootNodes(registry: ActorRegistry): TreeNode[] {
  const runsOf = (actor: ActorEntry) => actor.engine.listRuns().map((run) => new RunNode(actor, run));
  const actors = registry.actors;
  const problem = registry.dockerProblem ? dockerProblemNodes() : [];
  if (actors.length === 1) return [...problem, ...runsOf(actors[0])];
  return [...problem, ...actors.map((actor) => new ActorNode(actor, () => orPlaceholder(runsOf(actor), 'No runs yet')))];
}
