/** The Builds view: number, tags, status, image size, duration; the build log as a child; tag actions on the item. */
import * as vscode from 'vscode';
import { BuildRecord } from '../../../engine';
import { ActorEntry, ActorRegistry } from '../../actors/actorRegistry';
import { TEST_HOOKS } from '../../testHooks';
import { formatBytes, formatDuration, formatTime, statusIcon } from '../format';
import { ActorNode } from '../actorNode';
import { drawnItems, NodeTreeProvider, orPlaceholder, StaticNode, TreeNode } from '../treeNode';

export class BuildNode implements TreeNode {
  constructor(
    readonly actor: ActorEntry,
    readonly build: BuildRecord,
    private readonly tags: string[],
  ) {}

  get actorRoot(): string {
    return this.actor.root;
  }
  get buildId(): string {
    return this.build.id;
  }

  treeItem(): vscode.TreeItem {
    const { build } = this;
    const item = new vscode.TreeItem(build.buildNumber, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `build:${this.actor.root}:${build.id}`;
    item.description = [this.tags.join(', '), build.status, formatBytes(build.stats.imageSizeBytes), formatDuration(build.stats.durationMillis)]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = statusIcon(build.status);
    item.tooltip = new vscode.MarkdownString(
      `**Build ${build.buildNumber}** (${build.id}) — ${build.status}${build.statusMessage ? `\n\n${build.statusMessage}` : ''}\n\nStarted ${formatTime(build.startedAt)} · image \`${build.imageName}\``,
    );
    item.contextValue = 'greenroom.build';
    return item;
  }

  children(): TreeNode[] {
    const log = new vscode.TreeItem('Build log');
    log.iconPath = new vscode.ThemeIcon('output');
    log.command = { command: 'greenroom.showLog', title: 'Show Log', arguments: [this] };
    return [new StaticNode(log)];
  }
}

export function registerBuildsView(registry: ActorRegistry): vscode.Disposable {
  const provider = new NodeTreeProvider(() => rootNodes(registry));
  const view = vscode.window.createTreeView('greenroom.builds', { treeDataProvider: provider });
  const redraw = () => provider.refresh();
  return vscode.Disposable.from(
    provider,
    view,
    registry.onDidChange(['build-status', 'build-deleted', 'tags-changed'], redraw),
    vscode.commands.registerCommand(TEST_HOOKS.buildsView, () => drawnItems(rootNodes(registry))),
  );
}

/** One Actor: its builds (none: the welcome content offers a build). Several: a group per Actor. */
function rootNodes(registry: ActorRegistry): TreeNode[] {
  const buildsOf = (actor: ActorEntry) => {
    const tags = Object.entries(actor.engine.tags());
    return actor.engine.listBuilds().map((build) => new BuildNode(actor, build, tags.filter(([, id]) => id === build.id).map(([tag]) => tag)));
  };
  const actors = registry.actors;
  return actors.length === 1 ? buildsOf(actors[0]) : actors.map((actor) => new ActorNode(actor, () => orPlaceholder(buildsOf(actor), 'No builds yet')));
}
