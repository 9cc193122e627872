/**
 * The Storages view: each Actor's shared `storage/` and every run's own storages. Redrawn when storage files
 * change (at most twice a second: a crawler writes thousands of files a minute) and when runs come and go.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { ActorEntry, ActorRegistry } from '../../actors/actorRegistry';
import { GREENROOM_DIR, runName } from '../../../engine';
import { statusIcon } from '../format';
import { ActorNode } from '../actorNode';
import { TEST_HOOKS } from '../../testHooks';
import { drawnItemsWithTooltips, NodeTreeProvider, StaticNode, TreeNode } from '../treeNode';
import { runOwnedStorageIds, runStorageNodes, SHOW_MORE_ITEMS_COMMAND, showMoreItems, storageRootChildren } from './storageNodes';

const STORAGE_GLOB = '**/{storage,.greenroom/storage}/**';
const REFRESH_INTERVAL_MS = 500;

function actorStorages(actor: ActorEntry): TreeNode[] {
  const shared = new vscode.TreeItem('Shared storage', vscode.TreeItemCollapsibleState.Expanded);
  shared.id = `shared:${actor.root}`;
  shared.description = path.relative(actor.root, actor.engine.layout.sharedStorageDir) + path.sep;
  shared.iconPath = new vscode.ThemeIcon('folder-library');
  shared.contextValue = 'greenroom.sharedStorage';
  const sharedNode = Object.assign(new StaticNode(shared, () => storageRootChildren(actor.root, actor.engine.layout.sharedStorageDir)), { actorRoot: actor.root });
  const runs = actor.engine
    .listRuns()
    .filter((run) => !run.greenroom.sharedStorage)
    .map((run) => {
      const item = new vscode.TreeItem(runName(run), vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `runStorages:${actor.root}:${run.id}`;
      item.description = run.id;
      item.iconPath = statusIcon(run.status);
      return new StaticNode(item, () => runStorageNodes(actor.root, run));
    });
  const named = storageRootNode(actor.root, actor.engine.layout.runStorageDir, 'Named storages', 'named', 'Storages no run owns: named ones (Actor.openDataset(\'name\') at home, the API\'s ?name=)', runOwnedStorageIds(actor.engine.listRuns()));
  return [sharedNode, ...(named ? [named] : []), ...runs];
}

/**
 * A storage root's storages as one node, undefined when it has none: an Actor's named storages (those of its run
 * storage root that no run owns) or the user's (the API's user token creates them in the workspace).
 */
function storageRootNode(actorRoot: string, storageDir: string, label: string, idPrefix: string, tooltip: string, except?: Set<string>): TreeNode | undefined {
  const children = storageRootChildren(actorRoot, storageDir, except);
  if (!children.length) return undefined;
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `${idPrefix}:${storageDir}`;
  item.description = storageDir;
  item.tooltip = tooltip;
  item.iconPath = new vscode.ThemeIcon('folder-library');
  item.contextValue = `greenroom.${idPrefix}Storages`;
  return new StaticNode(item, () => storageRootChildren(actorRoot, storageDir, except));
}

/**
 * The user's storages (`<first workspace folder>/.greenroom/storage/`, where the local API's user token creates
 * them), unless an Actor's run storage root is that folder (then they are among its named storages).
 */
function userStorageNodes(actors: readonly ActorEntry[]): TreeNode[] {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) return [];
  const dir = path.join(folder, GREENROOM_DIR, 'storage');
  if (actors.some((actor) => actor.engine.layout.runStorageDir === dir)) return [];
  const node = storageRootNode(folder, dir, 'Your storages', 'user', 'Storages the local API made for you (the user token), not for a run');
  return node ? [node] : [];
}

export function registerStoragesView(registry: ActorRegistry): vscode.Disposable {
  const rootNodes = () => {
    const actors = registry.actors;
    const perActor = actors.length === 1 ? actorStorages(actors[0]) : actors.map((actor) => new ActorNode(actor, () => actorStorages(actor)));
    return [...perActor, ...userStorageNodes(actors)];
  };
  const provider = new NodeTreeProvider(rootNodes, REFRESH_INTERVAL_MS);
  const view = vscode.window.createTreeView('greenroom.storages', { treeDataProvider: provider });
  const watcher = vscode.workspace.createFileSystemWatcher(STORAGE_GLOB);
  const redrawSoon = () => provider.refresh();
  return vscode.Disposable.from(
    provider,
    view,
    watcher,
    watcher.onDidCreate(redrawSoon),
    watcher.onDidChange(redrawSoon),
    watcher.onDidDelete(redrawSoon),
    registry.onDidChange(['run-status', 'run-deleted'], redrawSoon),
    vscode.commands.registerCommand(TEST_HOOKS.storagesView, (expandIds?: string[]) => drawnItemsWithTooltips(rootNodes(), new Set(expandIds))),
    vscode.commands.registerCommand(SHOW_MORE_ITEMS_COMMAND, (datasetDir: string) => {
      showMoreItems(datasetDir);
      registry.refreshViews();
    }),
  );
}
