/** The node model every Greenroom view shares: a node draws itself and lists its children. */
import * as vscode from 'vscode';
import { Coalescer } from '../coalescer';
import { DrawnItem } from '../testHooks';

export interface TreeNode {
  treeItem(): vscode.TreeItem;
  children?(): TreeNode[];
  /** A tooltip too costly to make with every redraw (a walk over a storage's files): made when the row is hovered. */
  tooltip?(): Promise<string>;
}

/** How often a view redraws at most while changes keep coming. */
const REFRESH_INTERVAL_MS = 250;

/**
 * A TreeDataProvider over TreeNode roots; `refresh(node)` redraws one node, `refresh()` the whole view. Refreshes are
 * coalesced: at most one redraw per interval, of just the nodes that changed unless the whole view did.
 */
export class NodeTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly pending: Coalescer<TreeNode>;

  constructor(
    private readonly roots: () => TreeNode[],
    intervalMs = REFRESH_INTERVAL_MS,
  ) {
    this.pending = new Coalescer(intervalMs, (nodes) => this.changed.fire(nodes === 'all' ? undefined : [...nodes]));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.treeItem();
  }

  async resolveTreeItem(item: vscode.TreeItem, node: TreeNode): Promise<vscode.TreeItem> {
    if (node.tooltip && item.tooltip === undefined) item.tooltip = await node.tooltip();
    return item;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    return node ? (node.children?.() ?? []) : this.roots();
  }

  refresh(node?: TreeNode): void {
    this.pending.add(node);
  }

  dispose(): void {
    this.pending.dispose();
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

/** `nodes`, or an inert line saying there are none yet (in an Actor's group, whose menu has the actions). */
export function orPlaceholder(nodes: TreeNode[], placeholder: string): TreeNode[] {
  if (nodes.length) return nodes;
  const item = new vscode.TreeItem(placeholder);
  item.iconPath = new vscode.ThemeIcon('info');
  item.contextValue = 'greenroom.placeholder';
  return [new StaticNode(item)];
}

/**
 * Every item visible without a click: the roots and, recursively, the children of items drawn expanded (and of
 * those whose id is in `expand`, as if clicked open).
 */
export function drawnItems(nodes: TreeNode[], expand?: ReadonlySet<string>): DrawnItem[] {
  return drawnNodes(nodes, undefined, expand).map(({ drawn }) => drawn);
}

/** drawnItems, with the tooltips made on hover (TreeNode.tooltip) made too. */
export function drawnItemsWithTooltips(nodes: TreeNode[], expand?: ReadonlySet<string>): Promise<DrawnItem[]> {
  return Promise.all(drawnNodes(nodes, undefined, expand).map(async ({ node, drawn }) => (drawn.tooltip === undefined && node.tooltip ? { ...drawn, tooltip: await node.tooltip() } : drawn)));
}

function drawnNodes(nodes: TreeNode[], parent?: string, expand?: ReadonlySet<string>): { node: TreeNode; drawn: DrawnItem }[] {
  return nodes.flatMap((node) => {
    const item = node.treeItem();
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    const { actorRoot, runId, buildId } = node as { actorRoot?: string; runId?: string; buildId?: string };
    const drawn: DrawnItem = {
      label,
      description: typeof item.description === 'string' ? item.description : undefined,
      tooltip: typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value,
      contextValue: item.contextValue,
      id: item.id,
      command: item.command?.command,
      parent,
      actorRoot,
      runId,
      buildId,
    };
    const expanded = item.collapsibleState === vscode.TreeItemCollapsibleState.Expanded || (item.id !== undefined && !!expand?.has(item.id));
    return [{ node, drawn }, ...(expanded ? drawnNodes(node.children?.() ?? [], label, expand) : [])];
  });
}
