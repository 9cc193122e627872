/**
 * What the Runs view shows above the runs while Docker is unreachable: the endpoint tried, the engine's own
 * explanation (which says how to fix it), and the two ways out. A tree node rather than welcome content: welcome
 * content is static text (it cannot name the endpoint) and VS Code draws it only while the view is empty, so
 * it would vanish as soon as the Actor has runs.
 */
import * as vscode from 'vscode';
import type { DockerProblem } from '../../actors/actorRegistry';
import { StaticNode, TreeNode } from '../treeNode';

export function dockerProblemNode(problem: DockerProblem): TreeNode {
  const header = new vscode.TreeItem(`Docker is unreachable at ${problem.endpoint}`, vscode.TreeItemCollapsibleState.Expanded);
  header.id = 'dockerProblem';
  header.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  header.tooltip = problem.message;
  header.contextValue = 'greenroom.dockerProblem';

  const explanation = new vscode.TreeItem(problem.message);
  explanation.iconPath = new vscode.ThemeIcon('info');
  explanation.tooltip = problem.message;

  const retry = new vscode.TreeItem('Try Again');
  retry.description = 'once Docker (or Podman) is running';
  retry.iconPath = new vscode.ThemeIcon('refresh');
  retry.command = { command: 'greenroom.refresh', title: 'Try Again' };

  const settings = new vscode.TreeItem('Use Another Endpoint…');
  settings.description = 'greenroom.docker.host or socketPath';
  settings.iconPath = new vscode.ThemeIcon('gear');
  settings.command = { command: 'workbench.action.openSettings', title: 'Open Docker Settings', arguments: ['greenroom.docker'] };

  return new StaticNode(header, () => [explanation, retry, settings].map((item) => new StaticNode(item)));
}
