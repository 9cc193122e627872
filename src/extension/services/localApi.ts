/**
 * The window's local Apify API (src/platform/workspacePlatform.ts): served once Docker answers for a workspace with an
 * Actor (else from the window's first run at home), or the live server that already serves the workspace (`greenroom serve`, another window); its address in the status
 * bar, and "Actor: Copy Local API URL and Token" (which starts serving when nothing serves yet). Stops with the window.
 */
import * as vscode from 'vscode';
import type { PlatformChoice, PlatformLink, PlatformRunRequest } from '../../engine/platformLink';
import { ServedPlatform, WorkspacePlatform } from '../../platform/workspacePlatform';
import type { ActorWorkspace } from '../../workspace';
import { engineSettings } from '../actors/settings';

export class WindowPlatform implements PlatformLink, vscode.Disposable {
  private platform: WorkspacePlatform | undefined;
  private readonly changed = new vscode.EventEmitter<ServedPlatform | undefined>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly workspace: () => ActorWorkspace) {}

  forRun(request: PlatformRunRequest): Promise<PlatformChoice> {
    const platform = this.workspacePlatform();
    return platform ? platform.forRun(request) : Promise.resolve({ atHome: false, reason: 'the window has no folder on this machine to serve the local Apify API for' });
  }

  /** The served API, starting to serve when nothing serves the workspace yet; undefined in a window without a folder. */
  serve(): Promise<ServedPlatform> | undefined {
    return this.workspacePlatform()?.serve();
  }

  /** Starts serving ahead of the window's first run, which then need not wait for it; a failure is that run's to report. */
  prepare(): void {
    void this.serve()?.catch(() => undefined);
  }

  /** The Actor's standby URL (served with the API, by this window or the process serving the workspace); undefined without a folder. */
  standbyUrl(actorRoot: string): Promise<string> | undefined {
    return this.workspacePlatform()?.standbyUrl(actorRoot);
  }

  dispose(): void {
    void this.platform?.close();
    this.changed.dispose();
  }

  /** Made on first use, for the first folder of the window (the one its platform file lives in). */
  private workspacePlatform(): WorkspacePlatform | undefined {
    if (this.platform) return this.platform;
    const folder = (vscode.workspace.workspaceFolders ?? []).find((candidate) => candidate.uri.scheme === 'file');
    if (!folder) return undefined;
    this.platform = new WorkspacePlatform({ workspaceRoot: folder.uri.fsPath, workspace: this.workspace, docker: engineSettings(folder.uri.fsPath).docker });
    this.platform.onDidChange((served) => this.changed.fire(served));
    return this.platform;
  }
}

/** The status-bar item with the API's address, and the command that copies URL and token. */
export function registerLocalApi(platform: WindowPlatform): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('greenroom.localApi', vscode.StatusBarAlignment.Left, 49);
  item.name = 'Greenroom: local Apify API';
  item.command = 'greenroom.copyLocalApi';
  const show = (served: ServedPlatform | undefined) => {
    if (!served) return item.hide();
    item.text = `$(radio-tower) Apify API :${served.port}`;
    const by = served.pid === process.pid ? 'this window' : `process ${served.pid}`;
    const containers = served.containerHost ? `containers reach it at http://${served.containerHost}:${served.port}` : `runs stay in local mode: ${served.containerProblem}`;
    item.tooltip = `Local Apify API at ${served.url}, served by ${by}; ${containers}. Click to copy its URL and token.`;
    item.show();
  };
  const copy = vscode.commands.registerCommand('greenroom.copyLocalApi', async () => {
    let served: ServedPlatform | undefined;
    try {
      served = await platform.serve();
    } catch (error) {
      void vscode.window.showErrorMessage(`The local Apify API could not start: ${(error as Error).message}`);
      return undefined;
    }
    if (!served) {
      void vscode.window.showWarningMessage('Open a folder to serve the local Apify API for.');
      return undefined;
    }
    // The variables the SDKs and the Apify CLI read; apify-client takes the same two as baseUrl and token.
    await vscode.env.clipboard.writeText(`APIFY_API_BASE_URL=${served.url}\nAPIFY_TOKEN=${served.token}\n`);
    void vscode.window.showInformationMessage(`Copied the local Apify API's URL (${served.url}) and token. The token gives full access to this workspace's runs and storages.`);
    return served.url;
  });
  return vscode.Disposable.from(item, copy, platform.onDidChange(show));
}
