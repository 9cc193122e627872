/**
 * The Storages view: each Actor's shared `storage/` and every run's own storages. Redrawn when storage files
 * change (at most twice a second: a crawler writes thousands of files a minute) and when runs come and go.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { ActorEntry, ActorRegistry } from '../../actors/actorRegistry';
import { runName } from '../../../engine';
import { statusIcon } from '../format';
import { ActorNode } from '../actorNode';
import { TEST_HOOKS } from '../../testHooks';
import { drawnItemsWithTooltips, NodeTreeProvider, StaticNode, TreeNode } from '../treeNode';
import { DatasetNode, KeyValueStoreNode, RequestQueueNode, SHOW_MORE_ITEMS_COMMAND, showMoreItems, storageRootChildren } from './storageNodes';

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
      const dir = run.greenroom.storageDir;
      return new StaticNode(item, () => [
        new DatasetNode(actor.root, dir, run.defaultDatasetId),
        new KeyValueStoreNode(actor.root, dir, run.defaultKeyValueStoreId),
        new RequestQueueNode(actor.root, dir, run.defaultRequestQueueId),
      ]);
    });
  return [sharedNode, ...runs];
}

export function registerStoragesView(registry: ActorRegistry): vscode.Disposable {
  const roots = () => {
    const actors = registry.actors;
    return actors.length === 1 ? actorStorages(actors[0]) : actors.map((actor) => new ActorNode(actor, () => actorStorages(actor)));
  };
  const provider = new NodeTreeProvider(roots, REFRESH_INTERVAL_MS);
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
    vscode.commands.registerCommand(TEST_HOOKS.storagesView, () => drawnItemsWithTooltips(roots())),
    vscode.commands.registerCommand(SHOW_MORE_ITEMS_COMMAND, (datasetDir: string) => {
      showMoreItems(datasetDir);
      registry.refreshViews();
    }),
  );
}
