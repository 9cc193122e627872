/**
 * One viewer per dataset or request queue: opening it again reveals it; VS Code restores open viewers after a reload
 * (serializer). Both kinds share the dataset viewer's webview, keyed by their folder.
 */
import * as vscode from 'vscode';
import { DATASET_VIEWER_VIEW_TYPE, datasetDirOf, DatasetViewerPanel } from './datasetViewerPanel';
import { requestQueueDirOf, RequestQueueViewerPanel } from './requestQueueViewerPanel';
import { isRequestQueueLocation, ViewerLocation, ViewerState, ViewerTestAction } from '../../webviewProtocols/datasetViewer';
import { TEST_HOOKS } from '../testHooks';

type ViewerPanel = DatasetViewerPanel | RequestQueueViewerPanel;

export class DatasetViewers implements vscode.Disposable {
  private readonly open = new Map<string, ViewerPanel>();
  private readonly registrations: vscode.Disposable[];

  constructor(private readonly extensionUri: vscode.Uri) {
    this.registrations = [
      vscode.window.registerWebviewPanelSerializer(DATASET_VIEWER_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: ViewerState | undefined) => {
          // A panel saved before its first page arrived does not know what it shows.
          if (!state?.location) return panel.dispose();
          this.track(this.create(state.location, panel));
        },
      }),
      vscode.commands.registerCommand(TEST_HOOKS.datasetViewer, (folder: string, action: ViewerTestAction) => {
        const viewer = this.open.get(folder);
        if (!viewer) throw new Error(`no dataset or request queue viewer is open for ${folder}`);
        return viewer.runTestAction(action);
      }),
    ];
  }

  /** Shows the viewer of a dataset or request queue (revealing it when open) and returns its folder, the viewer's key. */
  show(location: ViewerLocation): string {
    const folder = isRequestQueueLocation(location) ? requestQueueDirOf(location) : datasetDirOf(location);
    const existing = this.open.get(folder);
    if (existing) existing.reveal();
    else this.track(this.create(location));
    return folder;
  }

  dispose(): void {
    for (const viewer of this.open.values()) viewer.dispose();
    for (const registration of this.registrations) registration.dispose();
  }

  private create(location: ViewerLocation, panel?: vscode.WebviewPanel): ViewerPanel {
    return isRequestQueueLocation(location) ? RequestQueueViewerPanel.create(location, this.extensionUri, panel) : DatasetViewerPanel.create(location, this.extensionUri, panel);
  }

  private track(viewer: ViewerPanel): void {
    this.open.set(viewer.folder, viewer);
    viewer.onDidDispose(() => this.open.delete(viewer.folder));
  }
}
