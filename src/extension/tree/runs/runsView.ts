/**
 * The Runs view: newest first, per Actor; while Docker is unreachable, the engine's explanation as the view's
 * message and the ways out above the runs.
 * The runs are read from disk only when the set of runs may have changed (Actors found or lost, records written by
 * another process, a run started or deleted); a status event of a shown run redraws just its node from the event's
 * record, so a run that logs thousands of lines a second costs no file reads. While a run is unfinished its node's
 * elapsed time ticks once a second (and only then).
 */
import * as vscode from 'vscode';
import { isTerminal, RunRecord } from '../../../engine';
import { ActorEntry, ActorRegistry } from '../../actors/actorRegistry';
import { TEST_HOOKS } from '../../testHooks';
import { drawnItems, NodeTreeProvider, orPlaceholder, TreeNode } from '../treeNode';
import { dockerProblemNodes } from './dockerProblemNode';
import { ActorNode } from '../actorNode';
import { RunNode } from './runNodes';

const TICK_MS = 1000;

export function registerRunsView(registry: ActorRegistry): vscode.Disposable {
  const runs = new ShownRuns();
  const provider = new NodeTreeProvider(() => rootNodes(registry, runs));
  const view = vscode.window.createTreeView('greenroom.runs', { treeDataProvider: provider, showCollapseAll: true });
  let ticker: NodeJS.Timeout | undefined;

  const updateTicker = () => {
    const running = runs.running(registry);
    if (running.length && !ticker) ticker = setInterval(() => runs.running(registry).forEach((node) => provider.refresh(node)), TICK_MS);
    if (!running.length && ticker) ticker = void clearInterval(ticker);
  };
  const redrawAll = () => {
    runs.invalidate();
    provider.refresh();
    view.message = registry.dockerProblem?.message;
    updateTicker();
  };
  const redrawRun = (actor: ActorEntry, run: RunRecord) => {
    const node = runs.update(actor, run);
    if (!node) return redrawAll();
    provider.refresh(node);
    updateTicker();
  };

  redrawAll();
  return vscode.Disposable.from(
    provider,
    view,
    registry.onDidChangeActors(redrawAll),
    registry.onDidChangeRecords(redrawAll),
    registry.onDidEngineEvent(({ actor, event }) => {
      if (event.type === 'run-status') redrawRun(actor, event.run);
      else if (event.type === 'run-deleted') redrawAll();
    }),
    { dispose: () => clearInterval(ticker) },
    vscode.commands.registerCommand(TEST_HOOKS.runsView, () => drawnItems(rootNodes(registry, runs))),
    vscode.commands.registerCommand(TEST_HOOKS.runsViewMessage, () => view.message),
  );
}

/** The run nodes the view shows, per Actor: re-read after invalidate(), kept (same objects) in between. */
class ShownRuns {
  private nodes = new Map<string, RunNode[]>();
  private stale = true;

  invalidate(): void {
    this.stale = true;
  }

  of(actor: ActorEntry, registry: ActorRegistry): RunNode[] {
    if (this.stale) this.reload(registry);
    return this.nodes.get(actor.root) ?? [];
  }

  /** Gives the run's node its new record; undefined when the view does not show that run yet. */
  update(actor: ActorEntry, run: RunRecord): RunNode | undefined {
    if (this.stale) return undefined;
    const node = this.nodes.get(actor.root)?.find((shown) => shown.run.id === run.id);
    if (node) node.run = run;
    return node;
  }

  running(registry: ActorRegistry): RunNode[] {
    return registry.actors.flatMap((actor) => this.of(actor, registry)).filter((node) => !isTerminal(node.run.status));
  }

  /** Keeps the node objects of runs still there: the tree refreshes nodes by identity. */
  private reload(registry: ActorRegistry): void {
    const previous = this.nodes;
    this.nodes = new Map();
    for (const actor of registry.actors) {
      const kept = new Map((previous.get(actor.root) ?? []).map((node) => [node.run.id, node]));
      this.nodes.set(
        actor.root,
        actor.engine.listRuns().map((run) => {
          const node = kept.get(run.id);
          if (!node || node.actor !== actor) return new RunNode(actor, run);
          node.run = run;
          return node;
        }),
      );
    }
    this.stale = false;
  }
}

/**
 * One Actor: its runs, or nothing (the view's welcome content then offers a first run). Several: a group per
 * Actor, each with its runs or a "No runs yet" line.
 */
function rootNodes(registry: ActorRegistry, runs: ShownRuns): TreeNode[] {
  const actors = registry.actors;
  const problem = registry.dockerProblem ? dockerProblemNodes() : [];
  if (actors.length === 1) return [...problem, ...runs.of(actors[0], registry)];
  return [...problem, ...actors.map((actor) => new ActorNode(actor, () => orPlaceholder(runs.of(actor, registry), 'No runs yet')))];
}
