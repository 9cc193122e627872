/** The group node every view draws per Actor when the workspace has several: the Actor's name and where it is. */
import * as vscode from 'vscode';
import type { ActorEntry } from '../actors/actorRegistry';
import { TreeNode } from './treeNode';

/** An Actor's group, drawn expanded; the view gives its children (runs, builds or storages). */
export class ActorNode implements TreeNode {
  constructor(
    readonly actor: ActorEntry,
    private readonly kids: () => TreeNode[],
  ) {}
  get actorRoot(): string {
    return this.actor.root;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.actor.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `actor:${this.actor.root}`;
    // Where it is, when that says more than its name (an Actor at a workspace folder's root has no relative path).
    const relative = vscode.workspace.asRelativePath(this.actor.root);
    item.description = relative === this.actor.root || relative === this.actor.name ? undefined : relative;
    item.iconPath = new vscode.ThemeIcon('package');
    item.contextValue = 'greenroom.actor';
    return item;
  }
  children(): TreeNode[] {
    return this.kids();
  }
}
