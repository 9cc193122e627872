/**
 * What the Runs view shows while Docker is unreachable: the view's message carries the engine's explanation (it
 * names the endpoint tried and how to fix it, and wraps however long it is); these two items above the runs are
 * the ways out. Not welcome content: that is static text (it cannot name the endpoint), and VS Code draws it
 * only while the view is empty and has no message, so it would vanish as soon as the Actor has runs.
 */
import * as vscode from 'vscode';
import { StaticNode, TreeNode } from '../treeNode';

export function dockerProblemNodes(): TreeNode[] {
  const retry = new vscode.TreeItem('Try Again');
  retry.tooltip = 'Check Docker again, once it is running';
  retry.iconPath = new vscode.ThemeIcon('refresh');
  retry.command = { command: 'greenroom.refresh', title: 'Try Again' };

  const settings = new vscode.TreeItem('Use Another Endpoint…');
  settings.tooltip = 'The settings greenroom.docker.host and greenroom.docker.socketPath';
  settings.iconPath = new vscode.ThemeIcon('gear');
  settings.command = { command: 'workbench.action.openSettings', title: 'Open Docker Settings', arguments: ['greenroom.docker'] };

  return [retry, settings].map((item) => {
    item.contextValue = 'greenroom.dockerProblem';
    return new StaticNode(item);
  });
}
