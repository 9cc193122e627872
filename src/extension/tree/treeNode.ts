/** The node model every Greenroom view shares: a node draws itself and lists its children. */
import * as vscode from 'vscode';

export interface TreeNode {
  treeItem(): vscode.TreeItem;
  children?(): TreeNode[];
}

/** A TreeDataProvider over TreeNode roots; `refresh(node)` redraws one node, `refresh()` the whole view. */
export class NodeTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly roots: () => TreeNode[]) {}

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.treeItem();
  }

  getChildren(node?: TreeNode): TreeNode[] {
    return node ? (node.children?.() ?? []) : this.roots();
  }

  refresh(node?: TreeNode): void {
    this.changed.fire(node);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** A leaf or folder with fixed content: messages, "show more" links, group headers. */
export class StaticNode implements TreeNode {
  constructor(
    private readonly item: vscode.TreeItem,
    private readonly kids?: () => TreeNode[],
  ) {}
  treeItem(): vscode.TreeItem {
    return this.item;
  }
  children(): TreeNode[] {
    return this.kids?.() ?? [];
  }
}
