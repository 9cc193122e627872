/**
 * The Runs view: newest first, per Actor. Redrawn on the engine's status events and on records written by
 * other processes; while a run is unfinished its elapsed time ticks once a second (and only then).
 */
import * as vscode from 'vscode';
import { ActorRegistry } from '../../actors/actorRegistry';
import { NodeTreeProvider, TreeNode } from '../treeNode';
import { ActorNode, RunNode } from './runNodes';

const TICK_MS = 1000;
/** Internal command the VS Code tests read the view through: every run item as drawn (label, description, context). */
export const RUNS_VIEW_TEST_COMMAND = 'greenroom.runs._testSnapshot';

export function registerRunsView(registry: ActorRegistry): vscode.Disposable {
  const provider = new NodeTreeProvider(() => rootNodes(registry));
  const view = vscode.window.createTreeView('greenroom.runs', { treeDataProvider: provider, showCollapseAll: true });
  let ticker: NodeJS.Timeout | undefined;

  const redraw = () => {
    provider.refresh();
    const hasRuns = registry.actors.some((actor) => actor.engine.listRuns().length > 0);
    void vscode.commands.executeCommand('setContext', 'greenroom.hasRuns', hasRuns);
    view.message = registry.dockerProblem ? `Docker is unreachable at ${registry.dockerProblem.endpoint}. ${registry.dockerProblem.message}` : undefined;
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
    vscode.commands.registerCommand(RUNS_VIEW_TEST_COMMAND, () =>
      rootNodes(registry)
        .flatMap((node) => (node instanceof ActorNode ? node.children() : [node]))
        .filter((node): node is RunNode => node instanceof RunNode)
        .map((node) => {
          const item = node.treeItem();
          return { actorRoot: node.actorRoot, runId: node.runId, label: item.label, description: item.description, contextValue: item.contextValue };
        }),
    ),
  );
}

function rootNodes(registry: ActorRegistry): TreeNode[] {
  const runsOf = (actor: (typeof registry.actors)[number]) => actor.engine.listRuns().map((run) => new RunNode(actor, run));
  const actors = registry.actors;
  if (actors.length === 1) return runsOf(actors[0]);
  return actors.map((actor) => new ActorNode(actor, () => runsOf(actor)));
}
